/**
 * The line every bench script prints last so that `npm run bench` (bench/run-all.ts) can build one table:
 *
 *     BENCH_RESULT {"name":"jobs-poll","metrics":[{"metric":"driver polls/s","value":8123,"unit":"polls/s"}]}
 *
 * i.e. the prefix `BENCH_RESULT `, then one line of JSON of {@link BenchResult}. Human-readable output may come
 * before it; only the last line starting with the prefix counts.
 */
import { formatFigure, renderTable } from './table';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** One figure of a bench. */
export interface BenchMetric {
  /** What was measured, e.g. "driver polls/s (saturation)". */
  metric: string;
  value: number;
  /** e.g. "polls/s", "ms", "ratio". */
  unit: string;
  /** The target in words, e.g. "≥ 0.8", "< 5 ms". */
  target?: string;
  /** Whether the target was met; absent when the figure has no target. */
  pass?: boolean;
}

/** A part of a bench that could not run here (e.g. a missing third-party peer) while the rest did. */
export interface SkippedPart {
  /** e.g. "netconfd peer". */
  part: string;
  /** e.g. "/usr/sbin/netconfd not installed". */
  reason: string;
}

/**
 * What one bench reports. `skipped` (with the reason) when it could not run here at all, e.g. a missing peer;
 * `skippedParts` when only some of it could not run (its other figures are in `metrics`).
 */
export interface BenchResult {
  name: string;
  metrics: BenchMetric[];
  skipped?: string;
  skippedParts?: SkippedPart[];
}

/**
 * A throughput figure with a lower bound: target "≥ <min>" (thousands separators, as the table prints figures)
 * and pass when `value` reaches it.
 */
export function atLeast(metric: string, value: number, unit: string, min: number): BenchMetric {
  return { metric, value, unit, target: `≥ ${min.toLocaleString('en-US')}`, pass: value >= min };
}

/** The result line for `result` (no newline). */
export function formatResultLine(result: BenchResult): string {
  return RESULT_PREFIX + JSON.stringify(result);
}

/** Prints the result line on stdout; call it last. */
export function emitBenchResult(result: BenchResult): void {
  process.stdout.write(`${formatResultLine(result)}\n`);
}

/**
 * Finds the last result line in a bench's stdout and checks its shape.
 * Returns undefined when there is none; throws an Error saying what is wrong when it is malformed.
 */
export function parseResultOutput(stdout: string): BenchResult | undefined {
  const lines = stdout.split(/\r?\n/).filter((l) => l.startsWith(RESULT_PREFIX));
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(last.slice(RESULT_PREFIX.length));
  } catch (err) {
    throw new Error(`result line is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return checkResult(parsed);
}

function checkResult(value: unknown): BenchResult {
  const r = value as Partial<BenchResult> | null;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || !Array.isArray(r.metrics)) {
    throw new Error('result line must be {name: string, metrics: [...]}');
  }
  if (r.skipped !== undefined && typeof r.skipped !== 'string') throw new Error('skipped must be a string');
  if (r.skippedParts !== undefined) {
    const ok =
      Array.isArray(r.skippedParts) &&
      r.skippedParts.every(
        (p: Partial<SkippedPart> | null) =>
          p !== null && typeof p === 'object' && typeof p.part === 'string' && typeof p.reason === 'string',
      );
    if (!ok) throw new Error('skippedParts must be [{part: string, reason: string}, ...]');
  }
  r.metrics.forEach(checkMetric);
  return r as BenchResult;
}

function checkMetric(value: unknown, index: number): void {
  const m = value as Partial<BenchMetric> | null;
  const ok =
    m !== null &&
    typeof m === 'object' &&
    typeof m.metric === 'string' &&
    typeof m.value === 'number' &&
    typeof m.unit === 'string' &&
    (m.target === undefined || typeof m.target === 'string') &&
    (m.pass === undefined || typeof m.pass === 'boolean');
  if (!ok) throw new Error(`metrics[${index}] must be {metric: string, value: number, unit: string, target?: string, pass?: boolean}`);
}

/** `PASS` or `MISS` for a figure with a target, '' for one without. */
export function verdictOf(m: BenchMetric): string {
  return m.pass === undefined ? '' : m.pass ? 'PASS' : 'MISS';
}

/** A bench's figures as the table it prints before its result line. */
export function metricsTable(metrics: readonly BenchMetric[]): string {
  const rows = metrics.map((m) => [m.metric, formatFigure(m.value), m.unit, m.target ?? '', verdictOf(m)]);
  return renderTable(
    [{ header: 'metric' }, { header: 'value', align: 'right' }, { header: 'unit' }, { header: 'target' }, { header: '' }],
    rows,
  );
}
