import type { BenchMetric } from './bench-result';
import type { LoadResult } from './http-load';
import { formatFigure, renderTable } from './table';

/** Figures of one server: median saturation run over the rounds, and the paced run. */
export interface TargetFigures {
  label: string;
  /** Saturation polls/s of each round. */
  rounds: number[];
  saturation: LoadResult;
  paced: LoadResult;
}

/** The targets of issue #6 item 7. */
export const EXPRESS_RATIO_TARGET = 0.8;
export const PACED_P99_TARGET_MS = 5;

/** The jobs-poll ratios and their verdicts. */
export interface PollVerdict {
  vsExpress: number;
  vsNodeHttp: number;
  driverPacedP99: number;
  ratioPass: boolean;
  p99Pass: boolean;
}

/** Compares the driver with the two ceilings (median saturation polls/s) and checks the paced p99. */
export function judge(driver: TargetFigures, express: TargetFigures, nodeHttp: TargetFigures): PollVerdict {
  const vsExpress = driver.saturation.perSecond / express.saturation.perSecond;
  const vsNodeHttp = driver.saturation.perSecond / nodeHttp.saturation.perSecond;
  const driverPacedP99 = driver.paced.latency.p99;
  return {
    vsExpress,
    vsNodeHttp,
    driverPacedP99,
    ratioPass: vsExpress >= EXPRESS_RATIO_TARGET,
    p99Pass: driverPacedP99 < PACED_P99_TARGET_MS && driver.paced.errors === 0 && driver.paced.skipped === 0,
  };
}

/** The per-server table: saturation throughput and latency, paced latency, errors. */
export function renderTargets(targets: readonly TargetFigures[], rate: number): string {
  const right = { align: 'right' as const };
  const columns = [
    { header: 'server' },
    { header: 'polls/s (median)', ...right },
    { header: 'rounds', ...right },
    { header: 'sat p50 ms', ...right },
    { header: 'sat p99 ms', ...right },
    { header: `${rate}/s p50 ms`, ...right },
    { header: `${rate}/s p99 ms`, ...right },
    { header: 'errors', ...right },
  ];
  const rows = targets.map((t) => [
    t.label,
    formatFigure(t.saturation.perSecond),
    t.rounds.map((r) => formatFigure(r)).join(' / '),
    formatFigure(t.saturation.latency.p50),
    formatFigure(t.saturation.latency.p99),
    formatFigure(t.paced.latency.p50),
    formatFigure(t.paced.latency.p99),
    String(t.saturation.errors + t.paced.errors + t.paced.skipped),
  ]);
  return renderTable(columns, rows);
}

/** The verdict lines printed under the table. */
export function renderVerdict(v: PollVerdict, rate: number): string {
  const mark = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  return [
    `driver / express   = ${v.vsExpress.toFixed(2)}  (target ≥ ${EXPRESS_RATIO_TARGET}) ${mark(v.ratioPass)}`,
    `driver / node:http = ${v.vsNodeHttp.toFixed(2)}  (reported, no target)`,
    `driver p99 at ${rate} polls/s = ${formatFigure(v.driverPacedP99)} ms  (target < ${PACED_P99_TARGET_MS} ms) ${mark(v.p99Pass)}`,
  ].join('\n');
}

/** The metrics of the BENCH_RESULT line. */
export function toMetrics(
  driver: TargetFigures,
  express: TargetFigures,
  nodeHttp: TargetFigures,
  v: PollVerdict,
  rate: number,
): BenchMetric[] {
  const round = (x: number, digits: number): number => Number(x.toFixed(digits));
  return [
    { metric: 'driver polls/s (saturation)', value: Math.round(driver.saturation.perSecond), unit: 'polls/s' },
    { metric: 'express ceiling polls/s', value: Math.round(express.saturation.perSecond), unit: 'polls/s' },
    { metric: 'node:http ceiling polls/s', value: Math.round(nodeHttp.saturation.perSecond), unit: 'polls/s' },
    { metric: 'driver / express', value: round(v.vsExpress, 2), unit: 'ratio', target: `≥ ${EXPRESS_RATIO_TARGET}`, pass: v.ratioPass },
    { metric: 'driver / node:http', value: round(v.vsNodeHttp, 2), unit: 'ratio' },
    { metric: `driver p50 at ${rate} polls/s`, value: round(driver.paced.latency.p50, 3), unit: 'ms' },
    {
      metric: `driver p99 at ${rate} polls/s`,
      value: round(v.driverPacedP99, 3),
      unit: 'ms',
      target: `< ${PACED_P99_TARGET_MS} ms`,
      pass: v.p99Pass,
    },
  ];
}
