/** What aborts one outbound request: its own timeout, or the caller's signal. */
export interface RequestDeadline {
  /** The signal to hand the request. */
  signal: AbortSignal;
  /** True once the timeout (not the caller) aborted the request. */
  timedOut(): boolean;
  /** Stops the timer and the listening on the caller's signal; call once the request has settled. */
  release(): void;
}

/** Starts the deadline of one request: aborted after `timeoutMs`, or as soon as `outer` aborts. */
export function requestDeadline(timeoutMs: number, outer?: AbortSignal): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
