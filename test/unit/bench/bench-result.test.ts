import { atLeast, formatResultLine, parseResultOutput, RESULT_PREFIX, type BenchResult } from '../../../bench/lib/bench-result';

const result: BenchResult = {
  name: 'jobs-poll',
  metrics: [
    { metric: 'driver / express', value: 0.91, unit: 'ratio', target: '≥ 0.8', pass: true },
    { metric: 'driver polls/s', value: 8000, unit: 'polls/s' },
  ],
};

describe('bench result line', () => {
  it('when a result is formatted, then it is the prefix and one line of JSON that parses back', () => {
    const line = formatResultLine(result);
    expect(line.startsWith(RESULT_PREFIX)).toBe(true);
    expect(line).not.toContain('\n');
    expect(parseResultOutput(`figures\n${line}\n`)).toEqual(result);
  });

  it('when several result lines are printed, then the last one counts', () => {
    const first = formatResultLine({ name: 'old', metrics: [] });
    expect(parseResultOutput(`${first}\n${formatResultLine(result)}\ntrailing text`)?.name).toBe('jobs-poll');
  });

  it('when there is no result line, then it returns undefined', () => {
    expect(parseResultOutput('only human-readable figures\n')).toBeUndefined();
  });

  it('when a bench was skipped, then the reason is kept', () => {
    const skipped = { name: 'netconf-rpc', metrics: [], skipped: 'no NETCONF peer' };
    expect(parseResultOutput(formatResultLine(skipped))).toEqual(skipped);
  });

  it('when the line is not JSON, then it throws saying so', () => {
    expect(() => parseResultOutput(`${RESULT_PREFIX}{oops`)).toThrow(/not JSON/);
  });

  it.each([
    ['no name', { metrics: [] }],
    ['a metric without a numeric value', { name: 'x', metrics: [{ metric: 'm', value: null, unit: 'ms' }] }],
    ['pass that is not a boolean', { name: 'x', metrics: [{ metric: 'm', value: 1, unit: 'ms', pass: 'yes' }] }],
  ])('when the JSON has %s, then it throws', (_what, body) => {
    expect(() => parseResultOutput(RESULT_PREFIX + JSON.stringify(body))).toThrow();
  });
});

describe('skipped parts', () => {
  it('when a bench ran only in part, then the skipped parts parse back with the figures', () => {
    const partial: BenchResult = {
      name: 'netconf-rpc',
      metrics: [{ metric: 'ESC simulator: sequential get', value: 2849, unit: 'rpc/s' }],
      skippedParts: [{ part: 'netconfd peer', reason: 'netconfd not installed' }],
    };
    expect(parseResultOutput(formatResultLine(partial))).toEqual(partial);
  });

  it.each([
    ['not an array', { part: 'x', reason: 'y' }],
    ['an entry without a reason', [{ part: 'x' }]],
    ['an entry that is null', [null]],
  ])('when skippedParts is %s, then it throws naming the expected shape', (_what, skippedParts) => {
    const line = RESULT_PREFIX + JSON.stringify({ name: 'x', metrics: [], skippedParts });
    expect(() => parseResultOutput(line)).toThrow('skippedParts must be [{part: string, reason: string}, ...]');
  });
});

describe('atLeast', () => {
  it('when the value reaches the minimum, then it passes and the target has thousands separators', () => {
    expect(atLeast('pipelined get', 5000, 'rpc/s', 5000)).toEqual({
      metric: 'pipelined get',
      value: 5000,
      unit: 'rpc/s',
      target: '≥ 5,000',
      pass: true,
    });
  });

  it('when the value is below the minimum, then it misses', () => {
    expect(atLeast('events', 19_999.9, 'events/s', 20_000)).toEqual({
      metric: 'events',
      value: 19_999.9,
      unit: 'events/s',
      target: '≥ 20,000',
      pass: false,
    });
  });

  it('when the value is NaN, then it misses', () => {
    expect(atLeast('events', Number.NaN, 'events/s', 1).pass).toBe(false);
  });

  it('when the minimum is below 1000, then the target prints it as is', () => {
    expect(atLeast('ratio', 0.9, 'ratio', 0.8).target).toBe('≥ 0.8');
  });
});
