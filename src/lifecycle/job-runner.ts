import { settledWithin } from '../async/settled-within';
import type { Log } from '../logging/log';
import { runTraced, type TraceContext } from '../tracing/trace-context';
import { tracedLog } from '../tracing/traced-log';
import { PROGRESS_ERROR, PROGRESS_FINISHED, type Job, type Operation } from '../jobs/job-model';
import { FencedWriteError, type DriverStore, type JobFence } from '../jobs/job-store';
import { failureCodeOf } from './failure-codes';
import { recordJobEnded, type JobMetrics } from './job-metrics';
import { JobWrites } from './job-writes';
import { JobDeadlineError, OwnershipLost, ShutdownAbort } from './lifecycle-errors';
import type { JobReporter, OperationContext, Southbound } from './southbound';
import type { VnfPatch, VnfRecord } from '../vnfs/vnf-record';

/** What the runner needs. Deadlines in seconds per operation. */
export interface JobRunnerDeps {
  store: DriverStore;
  southbound: Southbound;
  log: Log;
  deadlines: Record<Operation, number>;
  /** Final statuses and durations are counted here, once per job (only when this runner wrote the final entry). */
  metrics?: JobMetrics;
}

interface Running {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs jobs in the background through the southbound, turning the outcome into the job's final entry:
 * resolve → finished/100, reject → error/255 with the message (docs/nslcm-contract.md §4 "Job polling").
 */
export class JobRunner {
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(private readonly deps: JobRunnerDeps) {}

  /**
   * Starts (or, with `resumed`, resumes) a job in the background. A job already running here goes on, writing under
   * the fence it comes with (this replica claimed it again, at a new epoch); one that is ending here (abandoned, its
   * writes fenced) is resumed once that run has ended.
   */
  start(job: Job, resumed: boolean): void {
    if (this.stopping) return;
    const current = this.running.get(job.jobId);
    if (current) {
      if (current.controller.signal.reason instanceof OwnershipLost) void current.done.then(() => this.start(job, true));
      else if (job.fence) current.job.fence = job.fence;
      return;
    }
    const controller = new AbortController();
    // Every outgoing call of the job carries its request id, every log line its ids (src/tracing/trace-context.ts).
    const trace = { requestId: job.requestId, fields: { jobId: job.jobId, vnfInstanceId: job.vnfInstanceId, vnfmId: job.vnfmId } };
    const done = runTraced(trace, () => this.run(job, resumed, controller, trace))
      .catch((err: unknown) => {
        if (err instanceof FencedWriteError) {
          this.deps.log.warn('job outcome not written: another replica owns the job now', { jobId: job.jobId, error: err.message });
          return;
        }
        // Only the store failing to record the outcome gets here: the job stays unfinished and resumes at the next start.
        this.deps.log.error('job outcome not recorded', { jobId: job.jobId, error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => this.running.delete(job.jobId));
    this.running.set(job.jobId, { job, controller, done });
  }

  /** Number of jobs currently running. */
  get size(): number {
    return this.running.size;
  }

  /** Ids of the jobs running now for this replica (not those being stopped because another replica owns them). */
  runningIds(): string[] {
    return [...this.running].filter(([, run]) => !(run.controller.signal.reason instanceof OwnershipLost)).map(([jobId]) => jobId);
  }

  /** Stops the runs of jobs this replica no longer owns: nothing more is written for them. */
  abandon(jobIds: readonly string[], reason: string): void {
    for (const jobId of jobIds) {
      const run = this.running.get(jobId);
      if (!run || run.controller.signal.aborted) continue;
      this.deps.log.warn('job stopped here: this replica no longer owns it', { jobId, reason });
      run.controller.abort(new OwnershipLost(jobId, reason));
    }
  }

  /** Aborts every running job (they stay unfinished and resume at the next start) and waits up to `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const all = [...this.running.values()];
    for (const r of all) r.controller.abort(new ShutdownAbort());
    await settledWithin(Promise.allSettled(all.map((r) => r.done)), timeoutMs);
  }

  private async run(job: Job, resumed: boolean, controller: AbortController, trace: TraceContext): Promise<void> {
    const { store } = this.deps;
    // The job's lines carry its trace's fields even when logged from escEvent callbacks, outside its async chain.
    const log = tracedLog(
      this.deps.log.child({
        jobId: job.jobId,
        vnfInstanceId: job.vnfInstanceId,
        vnfmId: job.vnfmId,
        requestId: job.requestId,
        operation: job.operation,
      }),
      trace,
    );
    const vnf = await store.getVnf(job.vnfInstanceId);
    if (!vnf) {
      await this.finish(job, log, new Error(`VNF instance ${job.vnfInstanceId} is not in the store`));
      return;
    }
    const writes = new JobWrites();
    // A write refused by the fence: another replica owns the job now; this run stops at once, writing nothing more.
    const onFenced = (err: unknown): void => {
      if (err instanceof FencedWriteError && !controller.signal.aborted) controller.abort(new OwnershipLost(job.jobId, err.message));
    };
    const warnings: string[] = [];
    const ctx = this.buildContext(job, vnf, resumed, controller.signal, log, writes, warnings, onFenced);
    log.info(resumed ? 'job resumed' : 'job started');
    try {
      await this.withDeadline(job, controller, () => this.dispatch(job.operation, ctx));
      // Writes started from escEvent callbacks land before the final entry; a failed one fails the job.
      await writes.flush();
      await this.onSuccess(job, log, warnings);
    } catch (err) {
      // The story may have been left behind by its deadline: its writes queued so far come first.
      await writes.drain();
      if (controller.signal.reason instanceof ShutdownAbort) {
        log.warn('job interrupted by shutdown; it resumes at the next start');
        return;
      }
      if (controller.signal.reason instanceof OwnershipLost || err instanceof FencedWriteError) {
        log.warn('job run ended without writing: another replica owns the job now', { error: (err as Error).message });
        return;
      }
      await this.finish(job, log, err);
    }
  }

  private dispatch(op: Operation, ctx: OperationContext<unknown>): Promise<void> {
    const sb = this.deps.southbound;
    switch (op) {
      case 'instantiate':
        return sb.instantiate(ctx as OperationContext<never>);
      case 'terminate':
        return sb.terminate(ctx as OperationContext<never>);
      case 'scale':
        return sb.scale(ctx as OperationContext<never>);
      case 'heal':
        return sb.heal(ctx as OperationContext<never>);
      case 'operate':
        return sb.operate(ctx as OperationContext<never>);
    }
  }

  private async withDeadline(job: Job, controller: AbortController, work: () => Promise<void>): Promise<void> {
    const seconds = this.deps.deadlines[job.operation];
    const elapsedMs = Date.now() - Date.parse(job.createdAt);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          const err = new JobDeadlineError(job.jobId, seconds);
          controller.abort(err);
          reject(err);
        },
        Math.max(0, seconds * 1000 - elapsedMs),
      );
    });
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(asError(controller.signal.reason)), { once: true });
    });
    try {
      await Promise.race([work(), deadline, aborted]);
    } finally {
      clearTimeout(timer);
    }
  }

  private buildContext(
    job: Job,
    vnf: VnfRecord,
    resumed: boolean,
    signal: AbortSignal,
    log: Log,
    writes: JobWrites,
    warnings: string[],
    onFenced: (err: unknown) => void,
  ): OperationContext<unknown> {
    const store = this.deps.store;
    const push = <T>(write: () => Promise<T>): Promise<T> =>
      writes.push(() =>
        write().catch((err: unknown) => {
          onFenced(err);
          throw err;
        }),
      );
    let state = job.state;
    const reporter: JobReporter = {
      jobId: job.jobId,
      progress: (progress, description) => {
        if (signal.aborted) return Promise.resolve();
        const p = Math.min(99, Math.max(1, Math.round(Number.isFinite(progress) ? progress : 1)));
        return push(async () => {
          await store.appendEntry(job.jobId, { status: 'processing', progress: p, statusDescription: description }, job.fence);
          log.info('job progress', { progress: p, statusDescription: description });
        });
      },
      checkpoint: (next) => {
        state = next;
        return push(() => store.saveState(job.jobId, next, job.fence));
      },
      warn: (text) => {
        warnings.push(text);
      },
      get state() {
        return state;
      },
    };
    return {
      job: reporter,
      vnf,
      vnfmId: job.vnfmId,
      request: job.request,
      requestId: job.requestId,
      log,
      signal,
      resumed,
      get fence() {
        return job.fence;
      },
      updateVnf: (patch: VnfPatch) => push(() => store.updateVnf(job.vnfInstanceId, patch, jobGuard(job))),
    };
  }

  private async onSuccess(job: Job, log: Log, warnings: readonly string[]): Promise<void> {
    const { store } = this.deps;
    const vnf = await store.getVnf(job.vnfInstanceId);
    const guard = jobGuard(job);
    if (job.operation === 'instantiate' && vnf?.status === 'INSTANTIATING')
      await store.updateVnf(job.vnfInstanceId, { status: 'ACTIVE' }, guard);
    if (job.operation === 'terminate') await store.updateVnf(job.vnfInstanceId, { status: 'TERMINATED' }, guard);
    const final = await store.appendEntry(
      job.jobId,
      {
        status: 'finished',
        progress: PROGRESS_FINISHED,
        statusDescription: `${job.operation} finished${warnings.length > 0 ? ` with a warning: ${warnings.join('; ')}` : ''}`,
      },
      job.fence,
    );
    if (final) recordJobEnded(this.deps.metrics, job, 'finished');
    log.info('job finished');
  }

  private async finish(job: Job, log: Log, err: unknown): Promise<void> {
    const { store } = this.deps;
    const message = err instanceof Error ? err.message : String(err);
    const code = failureCodeOf(err);
    const vnf = await store.getVnf(job.vnfInstanceId);
    if (vnf && job.operation === 'instantiate' && vnf.status === 'INSTANTIATING') {
      await store.updateVnf(job.vnfInstanceId, { status: 'FAILED' }, jobGuard(job));
    }
    const final = await store.appendEntry(
      job.jobId,
      { status: 'error', progress: PROGRESS_ERROR, statusDescription: `${job.operation} failed: ${message}`, errorCode: String(code) },
      job.fence,
    );
    if (final) recordJobEnded(this.deps.metrics, job, 'error');
    log.error('job failed', { error: message, errorCode: code });
  }
}

/** The fence of a job's VNF writes: they are made only while the job's owner and epoch hold. */
function jobGuard(job: Job): (JobFence & { jobId: string }) | undefined {
  return job.fence && { jobId: job.jobId, ...job.fence };
}

/** An abort reason as an Error (AbortController.abort() without an argument gives a DOMException, which is one). */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
