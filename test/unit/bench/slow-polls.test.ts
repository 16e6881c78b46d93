import { describeSlowPolls, type TimedPoll } from '../../../bench/lib/slow-polls';

describe('describeSlowPolls', () => {
  it('when some polls reach the threshold, then it counts them and groups them by stretch of the run', () => {
    const polls: TimedPoll[] = [
      { atMs: 10, ms: 12, nth: 1, operation: 'instantiate' },
      { atMs: 90, ms: 9.99, nth: 1, operation: 'instantiate' },
      { atMs: 120, ms: 10, nth: 2, operation: 'instantiate' },
      { atMs: 2300, ms: 31.25, nth: 1, operation: 'terminate' },
      { atMs: 2310, ms: 15, nth: 1, operation: 'instantiate' },
      { atMs: 4000, ms: 1, nth: 2, operation: 'terminate' },
    ];

    expect(describeSlowPolls(polls, 10, 250)).toEqual([
      'polls ≥ 10 ms: 4 of 6',
      '  0.00–0.25 s: 2 (instantiate; 1 first polls of their job), slowest 12.0 ms',
      '  2.25–2.50 s: 2 (instantiate+terminate; 2 first polls of their job), slowest 31.3 ms',
    ]);
  });

  it('when no poll reaches the threshold, then it says none', () => {
    expect(describeSlowPolls([{ atMs: 1, ms: 2, nth: 1, operation: 'terminate' }], 10, 250)).toEqual(['polls ≥ 10 ms: 0 of 1']);
  });
});
