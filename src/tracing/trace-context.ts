import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the work in progress belongs to: the ONAP request id it was started by and the fields that identify it
 * in logs (job id, VNF id, vnfm id, ESC host). Set once where the work starts (a northbound request, a job,
 * a Notify delivery) and read where it leaves the process (outgoing HTTP calls) or is written down (log lines),
 * so that the layers in between pass nothing along.
 */
export interface TraceContext {
  /** ONAP request id (X-ONAP-RequestID) sent on every outgoing call made for this work. */
  readonly requestId: string;
  /** Fields every log line of this work carries; {@link annotateTrace} adds to them as the work learns more. */
  readonly fields: Record<string, string>;
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs `work` (and everything it starts) as part of `trace`. */
export function runTraced<T>(trace: TraceContext, work: () => T): T {
  return storage.run(trace, work);
}

/**
 * Runs `work` outside any trace: for what outlives the work that happens to start it (connections, timers of
 * shared loops), whose callbacks would otherwise be taken for part of that work.
 */
export function runUntraced<T>(work: () => T): T {
  return storage.getStore() === undefined ? work() : storage.exit(work);
}

/** The trace of the work in progress, if any. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** Adds fields to the current trace (e.g. the ESC host once it is known); nothing outside a trace. */
export function annotateTrace(fields: Record<string, string>): void {
  const trace = storage.getStore();
  if (trace) Object.assign(trace.fields, fields);
}
