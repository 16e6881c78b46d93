import { median, percentile, summarize } from '../../../bench/lib/percentiles';

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('when the values are 1..100, then p50 is 50, p99 is 99 and p100 is 100 (nearest rank)', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
  });

  it('when there are fewer values than 1/p, then the tail percentile is the largest value', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });

  it('when there is one value, then every percentile is that value', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99.9)).toBe(7);
  });

  it('when there are no values, then the percentile is NaN', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it.each([0, -1, 101, Number.NaN])('when p is %p, then it throws a RangeError', (p) => {
    expect(() => percentile([1], p)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('when the values are unsorted, then it sorts a copy and reports count, mean, p50, p90, p99 and max', () => {
    const values = [5, 1, 4, 2, 3];
    expect(summarize(values)).toEqual({ count: 5, mean: 3, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('when the values are fractional milliseconds, then they are sorted numerically, not as text', () => {
    expect(summarize([10.5, 9.25, 100, 0.75]).p50).toBe(9.25);
  });

  it('when there are no values, then count is 0 and the figures are NaN', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.mean).toBeNaN();
    expect(s.p99).toBeNaN();
    expect(s.max).toBeNaN();
  });
});

describe('median', () => {
  it('when given the figures of three rounds, then it returns the middle one', () => {
    expect(median([3000, 9000, 4000])).toBe(4000);
  });
});
