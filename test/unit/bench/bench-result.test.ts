import { formatResultLine, parseResultOutput, RESULT_PREFIX, type BenchResult } from '../../../bench/lib/bench-result';

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
