import { AbortedError, backoffDelay, RetriesExhaustedError, retryWithBackoff } from '../../../src/nslcm/retry-policy';

const policy = { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 4, maxTotalMs: 10_000, jitter: 0.5 };

describe('backoffDelay', () => {
  it('when no jitter applies, then delays double up to the cap', () => {
    const p = { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 };
    expect([1, 2, 3, 6, 7, 20].map((r) => backoffDelay(r, p, () => 0))).toEqual([1000, 2000, 4000, 32_000, 60_000, 60_000]);
  });

  it('when jitter is drawn at its maximum, then the delay is reduced by the jitter fraction', () => {
    expect(backoffDelay(3, { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 }, () => 0.999999)).toBe(2000);
  });
});

describe('retryWithBackoff', () => {
  it('when the call fails with a retryable error and then succeeds, then the result is returned', async () => {
    let n = 0;
    const out = await retryWithBackoff(async () => (++n < 3 ? Promise.reject(new Error('x')) : 'ok'), { policy, isRetryable: () => true });
    expect(out).toBe('ok');
    expect(n).toBe(3);
  });

  it('when the error is not retryable, then it is rethrown after one attempt', async () => {
    let n = 0;
    const err = new Error('4xx');
    await expect(
      retryWithBackoff(
        async () => {
          n++;
          throw err;
        },
        { policy, isRetryable: () => false },
      ),
    ).rejects.toBe(err);
    expect(n).toBe(1);
  });

  it('when every attempt fails, then it stops at maxAttempts with RetriesExhaustedError', async () => {
    let n = 0;
    const p = retryWithBackoff(
      async () => {
        n++;
        throw new Error('down');
      },
      { policy, isRetryable: () => true },
    );
    await expect(p).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(n).toBe(4);
  });

  it('when the total time budget would be exceeded, then it gives up early', async () => {
    let n = 0;
    let t = 0;
    const p = retryWithBackoff(
      async () => {
        n++;
        t += 100;
        throw new Error('slow');
      },
      {
        policy: { ...policy, maxAttempts: 100, maxTotalMs: 250 },
        isRetryable: () => true,
        now: () => t,
      },
    );
    await expect(p).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(n).toBe(3);
  });

  it('when the signal aborts during a wait, then it rejects with AbortedError at once', async () => {
    const ac = new AbortController();
    const p = retryWithBackoff(
      async () => {
        throw new Error('down');
      },
      {
        policy: { ...policy, initialDelayMs: 60_000, maxDelayMs: 60_000, maxTotalMs: 600_000 },
        isRetryable: () => true,
        signal: ac.signal,
      },
    );
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toBeInstanceOf(AbortedError);
  });
});
