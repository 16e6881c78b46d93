/** Waiting helpers shared by tests: polling a condition with a deadline, following a promise without awaiting it. */

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** What is waited for, named in the error on timeout. */
  what?: string;
  /** Pause between two checks, ms (default 10). */
  pollMs?: number;
}

/** Waits until `check` returns true, checking every `pollMs`, at most `timeoutMs`; throws on timeout. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, opts: WaitOptions = {}): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) {
      throw new Error(opts.what ? `timed out waiting until ${opts.what}` : `condition not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 10));
  }
}

/** The state of a promise followed with {@link track}. */
export interface Tracked<T> {
  state: 'pending' | 'resolved' | 'rejected';
  value?: T;
  error?: unknown;
}

/** Follows a promise without awaiting it: 'pending', then 'resolved' (with its value) or 'rejected' (with its error). */
export function track<T>(p: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { state: 'pending' };
  p.then(
    (value) => Object.assign(t, { state: 'resolved', value }),
    (error: unknown) => Object.assign(t, { state: 'rejected', error }),
  );
  return t;
}
