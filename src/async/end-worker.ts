import type { Worker } from 'node:worker_threads';
import { settledWithin } from './settled-within';

/**
 * Asks a worker thread to end by posting `request`, waits up to `timeoutMs` for `exited` (a promise of its
 * 'exit' event, taken when it was started, so that a thread already gone is not waited for) and terminates it
 * when the time runs out. The thread is referenced meanwhile, so that the process does not end before it has.
 * Resolves true when the thread ended by itself, false when it was terminated.
 */
export async function endWorker(worker: Worker, exited: Promise<unknown>, request: unknown, timeoutMs: number): Promise<boolean> {
  worker.ref();
  worker.postMessage(request);
  if (await settledWithin(exited, timeoutMs)) return true;
  await worker.terminate();
  return false;
}
