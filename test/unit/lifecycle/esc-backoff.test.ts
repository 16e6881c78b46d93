import { backoffDelayMs, sleepUnlessAborted } from '../../../src/lifecycle/esc-backoff';

const policy = { initialMs: 1000, maxMs: 10_000, jitter: 0.3 };

describe('backoffDelayMs', () => {
  it('when attempts follow one another without jitter, then the delay doubles up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('when jitter draws its largest share, then the delay is cut by that fraction, never to zero', () => {
    expect(backoffDelayMs(0, policy, () => 1)).toBe(700);
    expect(backoffDelayMs(0, { initialMs: 1, maxMs: 1, jitter: 1 }, () => 1)).toBe(1);
  });
});

describe('sleepUnlessAborted', () => {
  it('when the signal aborts, then the sleep ends at once', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const sleeping = sleepUnlessAborted(10_000, ac.signal);
    ac.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
