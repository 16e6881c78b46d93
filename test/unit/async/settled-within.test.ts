import { settledWithin } from '../../../src/async/settled-within';

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('settledWithin', () => {
  it('when the work fulfils in time, then it answers true', async () => {
    await expect(settledWithin(after(5, 'done'), 1_000)).resolves.toBe(true);
  });

  it('when the work rejects in time, then it answers true without rethrowing', async () => {
    await expect(settledWithin(Promise.reject(new Error('boom')), 1_000)).resolves.toBe(true);
  });

  it('when the time runs out first, then it answers false at about the limit', async () => {
    const started = Date.now();
    await expect(settledWithin(new Promise(() => undefined), 30)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('when the limit is negative, then it is taken as zero', async () => {
    await expect(settledWithin(new Promise(() => undefined), -5)).resolves.toBe(false);
  });

  it('when the work settles in time, then no timer is left to hold the process', async () => {
    jest.useFakeTimers();
    try {
      const answer = settledWithin(Promise.resolve(), 60_000);
      await expect(answer).resolves.toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
