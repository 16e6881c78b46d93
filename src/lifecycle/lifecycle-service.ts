import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Log } from '../logging/log';
import type { Operation } from '../jobs/job-model';
import { OperationInProgressError, VnfNotOperableError, type DriverStore } from '../jobs/job-store';
import { recordJobStarted, type JobMetrics } from './job-metrics';
import { JobOwnership, type OwnershipSettings } from './job-ownership';
import { JobRunner } from './job-runner';
import { vduHealProblem } from './heal-target';
import { LifecycleError } from './lifecycle-errors';
import type { HealVnfRequest, InstantiateVnfRequest, OperateVnfRequest, ScaleVnfRequest, TerminateVnfRequest } from './requests';
import type { Southbound } from './southbound';
import { vnfInfoFromRecord, type VnfInfo, type VnfRecord, type VnfStatus } from '../vnfs/vnf-record';

/** What the lifecycle use cases need. Deadlines in seconds per operation. */
export interface LifecycleDeps {
  store: DriverStore;
  southbound?: Southbound;
  log: Log;
  deadlines: Record<Operation, number>;
  newId?: () => string;
  /** Job counters and durations; the prom-client `Metrics` of `src/metrics` fits. */
  metrics?: JobMetrics;
  /** Job ownership of this replica (default: id `<hostname>-<pid>`, lease 30 s renewed every 10 s). */
  ownership?: Partial<OwnershipSettings>;
}

/** The replica id when none is configured: unique per process on one host, readable in logs. */
export function defaultReplicaId(): string {
  return `${os.hostname()}-${process.pid}`;
}

/** An accepted operation: answer with the ids, then call `launch()` once the answer was sent. */
export interface Accepted {
  jobId: string;
  vnfInstanceId: string;
  launch: () => void;
}

/** Who asked: the vnfm id of the path and the ONAP request id. */
export interface Caller {
  vnfmId: string;
  requestId: string;
}

/**
 * The lifecycle use cases (VNFM Driver API §3): each records the VNF and a job, answers at once and leaves the
 * work to the southbound in the background.
 */
export class LifecycleService {
  private readonly runner?: JobRunner;
  private readonly ownership?: JobOwnership;
  private readonly newId: () => string;
  private readonly owner: OwnershipSettings;

  constructor(private readonly deps: LifecycleDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.owner = { replicaId: defaultReplicaId(), leaseTtlMs: 30_000, renewEveryMs: 10_000, ...deps.ownership };
    if (deps.southbound) {
      const runner = (this.runner = new JobRunner({
        store: deps.store,
        southbound: deps.southbound,
        log: deps.log,
        deadlines: deps.deadlines,
        metrics: deps.metrics,
      }));
      this.ownership = new JobOwnership(
        deps.store,
        {
          running: () => runner.runningIds(),
          resume: (jobs) => jobs.forEach((job) => runner.start(job, true)),
          abandon: (jobIds, reason) => runner.abandon(jobIds, reason),
        },
        this.owner,
        deps.log,
      );
    }
  }

  /** Instantiate VNF (VNFM Driver API §3.1): a new VNF record in state INSTANTIATING and its job. */
  async instantiate(caller: Caller, request: InstantiateVnfRequest): Promise<Accepted> {
    const runner = this.requireRunner();
    const now = new Date().toISOString();
    const vnf: VnfRecord = {
      vnfInstanceId: this.newId(),
      vnfmId: caller.vnfmId,
      vnfInstanceName: request.vnfInstanceName,
      vnfdId: request.vnfDescriptorId,
      vnfPackageId: request.vnfPackageId,
      status: 'INSTANTIATING',
      attributes: {},
      createdAt: now,
      updatedAt: now,
    };
    if (request.vnfInstanceDescription !== undefined) vnf.vnfInstanceDescription = request.vnfInstanceDescription;
    if (request.additionalParam.vimId) vnf.vimId = request.additionalParam.vimId;
    return this.accept(runner, caller, 'instantiate', vnf.vnfInstanceId, request, vnf);
  }

  /** Terminate VNF (VNFM Driver API §3.2). */
  terminate(caller: Caller, vnfInstanceId: string, request: TerminateVnfRequest): Promise<Accepted> {
    return this.operateOn(caller, 'terminate', vnfInstanceId, request);
  }

  /** Scale VNF (VNFM Driver API §3.5 "Scale VNF"). */
  scale(caller: Caller, vnfInstanceId: string, request: ScaleVnfRequest): Promise<Accepted> {
    return this.operateOn(caller, 'scale', vnfInstanceId, request);
  }

  /** Heal VNF (VNFM Driver API §3.6); a VM named only by `vduid` must be the single VM of that VDU. */
  async heal(caller: Caller, vnfInstanceId: string, request: HealVnfRequest): Promise<Accepted> {
    const problem = vduHealProblem(await this.findVnf(caller, vnfInstanceId), request);
    if (problem) throw new LifecycleError('REQUEST_NOT_APPLICABLE', problem, 'affectedvm.vduid');
    return this.operateOn(caller, 'heal', vnfInstanceId, request);
  }

  /** Operate VNF (start/stop; docs/nslcm-contract.md §2 "What arrives in the requests", Operate). */
  operate(caller: Caller, vnfInstanceId: string, request: OperateVnfRequest): Promise<Accepted> {
    return this.operateOn(caller, 'operate', vnfInstanceId, request);
  }

  /** Query VNF (VNFM Driver API §3.3 "Query VNF"): asks the southbound when there is one, else answers from the record. */
  async query(caller: Caller, vnfInstanceId: string, log: Log): Promise<VnfInfo> {
    const vnf = await this.findVnf(caller, vnfInstanceId);
    if (!this.deps.southbound) return vnfInfoFromRecord(vnf);
    return this.deps.southbound.query(vnf, caller.vnfmId, log);
  }

  /**
   * The job descriptor for one poll (VNFM Driver API §3.4 "Get operation status"; docs/nslcm-contract.md §4 "Job polling")
   * as the JSON text of the answer (the store renders it); a job of another VNFM is not found.
   */
  async jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId: string): Promise<string> {
    const json = await this.deps.store.jobDescriptorJson(jobId, afterResponseId, vnfmId);
    if (json === undefined) throw new LifecycleError('JOB_NOT_FOUND', `job ${jobId} not found`, 'jobId');
    return json;
  }

  /**
   * Start-up: claims and resumes the orphaned jobs (those whose owner's lease ran out, and those of this replica id's
   * previous process; on SQLite, every unfinished job), then keeps this replica's leases and takes over the jobs of
   * replicas that stop renewing theirs. Returns how many jobs were resumed. Without a southbound, none.
   */
  async resumeUnfinished(): Promise<number> {
    return (await this.ownership?.start()) ?? 0;
  }

  /** Stops background work (unfinished jobs stay resumable) and closes the southbound. */
  async stop(timeoutMs: number): Promise<void> {
    await this.ownership?.stop();
    await this.runner?.stop(timeoutMs);
    await this.deps.southbound?.close?.();
  }

  private async operateOn(caller: Caller, op: Operation, vnfInstanceId: string, request: unknown): Promise<Accepted> {
    const runner = this.requireRunner();
    await this.findVnf(caller, vnfInstanceId);
    // Checked by the store in the transaction that creates the job: a job ending meanwhile cannot slip past it.
    // Terminating a terminated VNF asks for nothing: no grant, no Notify, no job.
    const refused: readonly VnfStatus[] = op === 'terminate' ? ['TERMINATED'] : ['TERMINATED', 'INSTANTIATING'];
    return this.accept(runner, caller, op, vnfInstanceId, request, undefined, refused);
  }

  private async accept(
    runner: JobRunner,
    caller: Caller,
    op: Operation,
    vnfInstanceId: string,
    request: unknown,
    vnf?: VnfRecord,
    refuseWhenVnfIs: readonly VnfStatus[] = [],
  ): Promise<Accepted> {
    try {
      const job = await this.deps.store.createJob(
        {
          jobId: this.newId(),
          operation: op,
          vnfInstanceId,
          vnfmId: caller.vnfmId,
          request,
          requestId: caller.requestId,
          statusDescription: `${op} accepted`,
          refuseWhenVnfIs,
          owner: { replicaId: this.owner.replicaId, leaseMs: this.owner.leaseTtlMs },
        },
        vnf,
      );
      recordJobStarted(this.deps.metrics, op);
      let launched = false;
      const launch = (): void => {
        if (launched) return;
        launched = true;
        runner.start(job, false);
      };
      return { jobId: job.jobId, vnfInstanceId, launch };
    } catch (err) {
      if (err instanceof VnfNotOperableError) {
        throw new LifecycleError('VNF_NOT_OPERABLE', `${err.message}; ${op} is not possible`, 'vnfInstanceId', { cause: err });
      }
      if (err instanceof OperationInProgressError) {
        throw new LifecycleError('OPERATION_IN_PROGRESS', err.message, 'vnfInstanceId', { cause: err });
      }
      throw err;
    }
  }

  private async findVnf(caller: Caller, vnfInstanceId: string): Promise<VnfRecord> {
    const vnf = await this.deps.store.getVnf(vnfInstanceId);
    if (!vnf || vnf.vnfmId !== caller.vnfmId) {
      throw new LifecycleError('VNF_NOT_FOUND', `VNF instance ${vnfInstanceId} not found for vnfm ${caller.vnfmId}`, 'vnfInstanceId');
    }
    return vnf;
  }

  private requireRunner(): JobRunner {
    if (!this.runner) {
      throw new LifecycleError('SOUTHBOUND_UNAVAILABLE', 'no southbound (ESC adapter) is configured; lifecycle operations are unavailable');
    }
    return this.runner;
  }
}
