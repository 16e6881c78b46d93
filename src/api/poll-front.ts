import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { endWorker } from '../async/end-worker';
import type { Log } from '../logging/log';
import type { CloseMessage, FrontMessage, PollFrontSettings } from './poll-front-protocol';
import type { PollMetrics } from './request-listener';

/** Settings of {@link PollFront.start}: where to listen and what to read (as the thread gets them), and more. */
export interface PollFrontOptions
  extends Pick<PollFrontSettings, 'host' | 'port' | 'vnfmType' | 'storePath' | 'backendPort' | 'backendTimeoutMs' | 'logLevel'> {
  log: Log;
  metrics?: PollMetrics;
  /** Told when the thread ends without being asked to (the service can no longer be reached). */
  onFailure?: (message: string) => void;
  /** Pause between two reports of the polls answered, ms; default 1000. */
  reportIntervalMs?: number;
  /** Longest wait for the thread to listen, ms; default 10000. */
  startTimeoutMs?: number;
  /** Nice value the thread asks for (-20..0; default 0, none asked): polls then go before job work on a busy CPU. */
  nice?: number;
  /** Node options of the thread; default: those of this process. The TypeScript sources need a loader there. */
  execArgv?: readonly string[];
}

/** Raised when the front cannot listen (address in use, store unreadable, thread failed to start). */
export class PollFrontError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'PollFrontError';
  }
}

/**
 * The service's public HTTP server, run on a thread of its own: it answers plain job-status polls from the store
 * file and hands every other request to the service's own server on 127.0.0.1 (./poll-front-worker.ts).
 *
 * NSLCM polls each job it follows every 2 s. On the main thread a poll waits for whatever job work holds the
 * event loop at that moment (parsing a burst of ESC events, building deployments, garbage collection), which
 * with hundreds of jobs running is often more than 10 ms. The front thread has little else to do and a heap of
 * its own, so polls are answered in well under a millisecond whatever the jobs are doing, and always with what
 * the store has committed. Answered polls are counted in the main thread's metrics (reported every second) and
 * logged through its logger.
 */
export class PollFront {
  private closing?: Promise<void>;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    /** Settles when the thread has ended (its 'exit' event, listened to from the start). */
    private readonly exited: Promise<void>,
    readonly port: number,
    /** The thread's priority as it could be set, in words (`nice -10`, or `normal (…)` and why). */
    readonly priority: string,
    private readonly opts: PollFrontOptions,
  ) {}

  /** Starts the thread and resolves once it listens; rejects with a {@link PollFrontError} when it cannot. */
  static start(opts: PollFrontOptions): Promise<PollFront> {
    const settings: PollFrontSettings = {
      host: opts.host, port: opts.port, vnfmType: opts.vnfmType, storePath: opts.storePath, backendPort: opts.backendPort,
      backendTimeoutMs: opts.backendTimeoutMs, logLevel: opts.logLevel, reportIntervalMs: opts.reportIntervalMs ?? 1000,
      nice: opts.nice ?? 0,
    };
    const startTimeoutMs = opts.startTimeoutMs ?? 10_000;
    const worker = new Worker(workerFile(), { workerData: settings, execArgv: opts.execArgv && [...opts.execArgv] });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    return new Promise<PollFront>((resolve, reject) => {
      let front: PollFront | undefined;
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new PollFrontError(`the poll front did not listen within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      worker.on('message', (m: FrontMessage) => {
        if (m.type === 'listening' && !front) {
          clearTimeout(timer);
          front = new PollFront(worker, exited, m.port, m.priority, opts);
          resolve(front);
        } else if (m.type === 'failed' && !front) {
          clearTimeout(timer);
          reject(new PollFrontError(`the poll front cannot listen on ${opts.host}:${opts.port}: ${m.message}`, m.code));
        } else {
          front?.onMessage(m);
        }
      });
      worker.on('error', (err: unknown) => {
        // What a thread throws arrives cloned, not always as an Error (a SqliteError comes as { code }).
        const reason = describeThrown(err);
        if (!front) {
          clearTimeout(timer);
          reject(new PollFrontError(`the poll front failed to start: ${reason}`));
        } else {
          front.opts.log.error('poll front failed', { error: reason });
        }
      });
      worker.on('exit', (code) => {
        if (!front) {
          clearTimeout(timer);
          reject(new PollFrontError(`the poll front ended (code ${code}) before listening`));
        } else if (!front.closing) {
          front.closed = true;
          front.opts.log.error('poll front ended unexpectedly', { code });
          front.opts.onFailure?.(`the poll front ended unexpectedly (code ${code})`);
        }
      });
    });
  }

  /**
   * Stops accepting connections, lets the requests in flight finish (those still running after `timeoutMs`
   * are cut) and ends the thread. Idempotent.
   */
  close(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    // The thread ends by itself once its connections are done; if it has not within the budget and a second, it
    // is terminated.
    const close: CloseMessage = { type: 'close', timeoutMs };
    this.closing ??= endWorker(this.worker, this.exited, close, timeoutMs + 1000).then(() => {
      this.closed = true;
    });
    return this.closing;
  }

  private onMessage(m: FrontMessage): void {
    if (m.type === 'polls') {
      const metrics = this.opts.metrics;
      if (!metrics) return;
      for (const s of m.report.GET) metrics.polled('GET', s);
      for (const s of m.report.HEAD) metrics.polled('HEAD', s);
    } else if (m.type === 'log') {
      this.opts.log[m.level](m.message, m.meta);
    }
  }
}

function describeThrown(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown } | undefined;
  if (typeof e?.message === 'string' && e.message !== '') return e.message;
  if (typeof e?.code === 'string') return e.code;
  return String(err);
}

/** The thread's module: the compiled JavaScript beside this file (dist/), or the TypeScript source beside it. */
function workerFile(): string {
  return join(__dirname, `poll-front-worker${extname(__filename)}`);
}
