import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBenches, summaryRows, timeoutSeconds, type BenchOutcome } from '../../../bench/run-all';

describe('summaryRows', () => {
  it('when a bench reports metrics, then there is one row per metric with PASS, MISS or no verdict', () => {
    const outcome: BenchOutcome = {
      name: 'simulator',
      seconds: 12.4,
      result: {
        name: 'simulator',
        metrics: [
          { metric: 'escEvents/s', value: 21226.4, unit: 'events/s', target: '≥ 20,000', pass: true },
          { metric: 'cycles/s', value: 970.3, unit: 'cycles/s' },
          { metric: 'pipelined', value: 4000, unit: 'rpc/s', target: '≥ 5,000', pass: false },
        ],
      },
    };
    expect(summaryRows([outcome])).toEqual([
      ['simulator', 'escEvents/s', '21,226', 'events/s', '≥ 20,000', 'PASS', '12 s'],
      ['simulator', 'cycles/s', '970', 'cycles/s', '', '', '12 s'],
      ['simulator', 'pipelined', '4,000', 'rpc/s', '≥ 5,000', 'MISS', '12 s'],
    ]);
  });

  it('when a bench skipped a part, then the part follows its metrics as a SKIPPED row with the reason', () => {
    const outcome: BenchOutcome = {
      name: 'netconf-rpc',
      seconds: 8,
      result: {
        name: 'netconf-rpc',
        metrics: [{ metric: 'ESC simulator: sequential get', value: 2849, unit: 'rpc/s' }],
        skippedParts: [{ part: 'netconfd peer', reason: 'netconfd not installed' }],
      },
    };
    expect(summaryRows([outcome])).toEqual([
      ['netconf-rpc', 'ESC simulator: sequential get', '2,849', 'rpc/s', '', '', '8 s'],
      ['netconf-rpc', 'netconfd peer: netconfd not installed', '', '', '', 'SKIPPED', '8 s'],
    ]);
  });

  it('when every part was skipped and there are no metrics, then only the SKIPPED rows are shown', () => {
    const outcome: BenchOutcome = { name: 'x', seconds: 1, result: { name: 'x', metrics: [], skippedParts: [{ part: 'p', reason: 'r' }] } };
    expect(summaryRows([outcome])).toEqual([['x', 'p: r', '', '', '', 'SKIPPED', '1 s']]);
  });

  it('when a bench failed, was skipped or reported nothing, then it has one row saying so', () => {
    expect(
      summaryRows([
        { name: 'a', seconds: 300, failure: 'timed out after 300 s' },
        { name: 'b', seconds: 2, result: { name: 'b', metrics: [], skipped: 'no peer' } },
        { name: 'c', seconds: 3, result: { name: 'c', metrics: [] } },
      ]),
    ).toEqual([
      ['a', 'timed out after 300 s', '', '', '', 'FAILED', '300 s'],
      ['b', 'no peer', '', '', '', 'SKIPPED', '2 s'],
      ['c', 'no metrics', '', '', '', '', '3 s'],
    ]);
  });
});

describe('listBenches', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-all-test-'));
    for (const f of ['simulator.ts', 'netconf-rpc.ts', 'run-all.ts', 'types.d.ts', 'notes.md']) writeFileSync(join(dir, f), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when no names are given, then every .ts script but run-all and declarations is listed, sorted', () => {
    expect(listBenches(dir, [])).toEqual(['netconf-rpc.ts', 'simulator.ts']);
  });

  it('when names are given, then only those benches are listed', () => {
    expect(listBenches(dir, ['simulator', 'missing'])).toEqual(['simulator.ts']);
  });
});

describe('timeoutSeconds', () => {
  it('when BENCH_TIMEOUT_S is unset, then a bench gets 300 s and the replicas bench its longer limit; when set, it applies to every bench', () => {
    expect([timeoutSeconds('lifecycle', {}), timeoutSeconds('replicas', {})]).toEqual([300, 1500]);
    expect([timeoutSeconds('lifecycle', { BENCH_TIMEOUT_S: '60' }), timeoutSeconds('replicas', { BENCH_TIMEOUT_S: '60' })]).toEqual([
      60, 60,
    ]);
    expect(timeoutSeconds('replicas', { BENCH_TIMEOUT_S: 'soon' })).toBe(1500);
  });
});
