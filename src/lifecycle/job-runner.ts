import { settledWithin } from '../async/settled-within';
import type { Log } from '../logging/log';
import { runTraced, type TraceContext } from '../tracing/trace-context';
import { tracedLog } from '../tracing/traced-log';
import { PROGRESS_ERROR, PROGRESS_FINISHED, type Job, type Operation } from '../jobs/job-model';
import type { DriverStore } from '../jobs/job-store';
import { failureCodeOf } from './failure-codes';
import { recordJobEnded, type JobMetrics } from './job-metrics';
import { JobWrites } from './job-writes';
import { JobDeadlineError, ShutdownAbort } from './lifecycle-errors';
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

  /** Starts (or, with `resumed`, resumes) a job in the background. A job already running is left alone. */
  start(job: Job, resumed: boolean): void {
    if (this.stopping || this.running.has(job.jobId)) return;
    const controller = new AbortController();
    // Every outgoing call of the job carries its request id, every log line its ids (src/tracing/trace-context.ts).
    const trace = { requestId: job.requestId, fields: { jobId: job.jobId, vnfInstanceId: job.vnfInstanceId, vnfmId: job.vnfmId } };
    const done = runTraced(trace, () => this.run(job, resumed, controller, trace))
      .catch((err: unknown) => {
        // Only the store failing to record the outcome gets here: the job stays unfinished and resumes at the next start.
        this.deps.log.error('job outcome not recorded', { jobId: job.jobId, error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => this.running.delete(job.jobId));
    this.running.set(job.jobId, { controller, done });
  }

  /** Number of jobs currently running. */
  get size(): number {
    return this.running.size;
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
    const warnings: string[] = [];
    const ctx = this.buildContext(job, vnf, resumed, controller.signal, log, writes, warnings);
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
  ): OperationContext<unknown> {
    const store = this.deps.store;
    let state = job.state;
    const reporter: JobReporter = {
      jobId: job.jobId,
      progress: (progress, description) => {
        if (signal.aborted) return Promise.resolve();
        const p = Math.min(99, Math.max(1, Math.round(Number.isFinite(progress) ? progress : 1)));
        return writes.push(async () => {
          await store.appendEntry(job.jobId, { status: 'processing', progress: p, statusDescription: description });
          // Every step is in the job's history (GET …/jobs/{jobId}); at info the log keeps a job's start and end.
          log.debug('job progress', { progress: p, statusDescription: description });
        });
      },
      checkpoint: (next) => {
        state = next;
        return writes.push(() => store.saveState(job.jobId, next));
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
      updateVnf: (patch: VnfPatch) => writes.push(() => store.updateVnf(job.vnfInstanceId, patch)),
    };
  }

  private async onSuccess(job: Job, log: Log, warnings: readonly string[]): Promise<void> {
    const { store } = this.deps;
    const vnf = await store.getVnf(job.vnfInstanceId);
    if (job.operation === 'instantiate' && vnf?.status === 'INSTANTIATING') await store.updateVnf(job.vnfInstanceId, { status: 'ACTIVE' });
    if (job.operation === 'terminate') await store.updateVnf(job.vnfInstanceId, { status: 'TERMINATED' });
    const final = await store.appendEntry(job.jobId, {
      status: 'finished',
      progress: PROGRESS_FINISHED,
      statusDescription: `${job.operation} finished${warnings.length > 0 ? ` with a warning: ${warnings.join('; ')}` : ''}`,
    });
    if (final) recordJobEnded(this.deps.metrics, job, 'finished');
    log.info('job finished');
  }

  private async finish(job: Job, log: Log, err: unknown): Promise<void> {
    const { store } = this.deps;
    const message = err instanceof Error ? err.message : String(err);
    const code = failureCodeOf(err);
    const vnf = await store.getVnf(job.vnfInstanceId);
    if (vnf && job.operation === 'instantiate' && vnf.status === 'INSTANTIATING') {
      await store.updateVnf(job.vnfInstanceId, { status: 'FAILED' });
    }
    const final = await store.appendEntry(job.jobId, {
      status: 'error',
      progress: PROGRESS_ERROR,
      statusDescription: `${job.operation} failed: ${message}`,
      errorCode: String(code),
    });
    if (final) recordJobEnded(this.deps.metrics, job, 'error');
    log.error('job failed', { error: message, errorCode: code });
  }
}

/** An abort reason as an Error (AbortController.abort() without an argument gives a DOMException, which is one). */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
