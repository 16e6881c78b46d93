import { Worker } from 'node:worker_threads';
import { endWorker } from '../async/end-worker';
import type { Db } from './database';

/** Settings of a {@link WalCheckpointer}. */
export interface WalCheckpointerOptions {
  /** Pause between two checkpoints, ms. */
  intervalMs: number;
  /** Called with the message of a checkpoint that failed or of a worker that stopped unexpectedly. */
  onError?: (message: string) => void;
}

/** Default of {@link WalCheckpointerOptions.intervalMs}. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 250;

/**
 * Pages the WAL may hold before a commit on the main connection checkpoints it itself: a backstop for when
 * the background checkpointer is not keeping up or not running (about 40 MB of WAL with 4 KiB pages).
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Longest wait of {@link WalCheckpointer.stop} for the thread to finish the checkpoint under way (which may wait
 * up to its busy timeout of 1 s for a lock) and exit, ms; after that the thread is terminated.
 */
export const STOP_TIMEOUT_MS = 3_000;

/** The thread's code (CommonJS, no TypeScript, so that it runs the same from src/ under tests and from dist/). */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Copies the SQLite write-ahead log back into the database file from a worker thread with its own connection,
 * every `intervalMs`, instead of letting a commit on the main thread do it.
 *
 * In WAL mode SQLite checkpoints automatically inside the commit that takes the log past 1,000 pages, and that
 * checkpoint (copying pages and syncing the file) then holds the event loop for 5 to 20 ms, long enough to make
 * every job-status poll arriving meanwhile wait. A PASSIVE checkpoint on another connection runs beside the
 * writers and readers of the main connection without blocking them. The main connection keeps an automatic
 * checkpoint at {@link BACKSTOP_AUTOCHECKPOINT_PAGES} pages, so the log stays bounded even without the thread.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping?: Promise<void>;

  private constructor(db: Db, file: string, private readonly opts: WalCheckpointerOptions) {
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    this.worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file, intervalMs: opts.intervalMs },
    });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) this.opts.onError?.(`WAL checkpoint failed: ${m.error}`);
    });
    this.worker.on('error', (err) => {
      if (!this.stopping) this.opts.onError?.(`WAL checkpoint thread failed: ${err.message}`);
    });
    this.worker.on('exit', (code) => {
      if (!this.stopping) this.opts.onError?.(`WAL checkpoint thread exited (code ${code}); commits checkpoint the log themselves`);
    });
  }

  /** Starts checkpointing `file` (the database `db` has open, in WAL mode); undefined for an in-memory database. */
  static start(db: Db, file: string, opts: WalCheckpointerOptions): WalCheckpointer | undefined {
    if (db.memory) return undefined;
    return new WalCheckpointer(db, file, opts);
  }

  /**
   * Stops the thread: it closes its connection after the checkpoint under way, if any, and exits. Resolves once
   * it has exited, or has been terminated after {@link STOP_TIMEOUT_MS}; later calls return the same promise.
   */
  stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    this.stopping ??= this.stopAndWait(timeoutMs);
    return this.stopping;
  }

  private async stopAndWait(timeoutMs: number): Promise<void> {
    if (!(await endWorker(this.worker, this.exited, 'stop', timeoutMs))) {
      this.opts.onError?.(`WAL checkpoint thread did not exit within ${timeoutMs} ms of being stopped: terminated`);
    }
  }
}
