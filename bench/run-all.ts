/**
 * `npm run bench`: runs every bench/*.ts script except this one, each in its own process with a time limit,
 * one after the other, and prints one table of their figures. A bench that fails, times out or prints no
 * result shows as such in the table; the others still run.
 *
 * Convention for bench scripts (helpers in bench/lib/bench-result.ts):
 *  - print whatever human-readable figures you like, then, as the LAST line on stdout,
 *      BENCH_RESULT {"name":"<bench>","metrics":[{"metric":"<what>","value":<number>,"unit":"<unit>",
 *                    "target":"<optional, e.g. ≥ 0.8>","pass":<optional boolean>}]}
 *    (`emitBenchResult(result)` prints it); or {"name":"<bench>","metrics":[],"skipped":"<why>"} when the
 *    bench cannot run here (e.g. a peer is missing); a bench that ran only in part adds
 *    "skippedParts":[{"part":"<what>","reason":"<why>"}] next to the figures it has;
 *  - exit with code 0 once the line is printed (a MISS against a target is a figure, not a failure);
 *  - start servers on 127.0.0.1 only, and stop everything you start before exiting.
 * Usage: npm run bench [-- <name> ...]   (names select benches, e.g. `npm run bench -- jobs-poll`)
 * Env: BENCH_TIMEOUT_S — time limit of each bench, seconds (default 300; the replicas bench 1500).
 * Exit code 1 when a bench failed, timed out or printed no result; 0 otherwise, MISSes included.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseResultOutput, verdictOf, type BenchResult } from './lib/bench-result';
import { formatFigure, renderTable } from './lib/table';

/** How one bench ended. */
export interface BenchOutcome {
  name: string;
  seconds: number;
  result?: BenchResult;
  /** Why there is no result: "exit 1", "timed out after 300 s", "no BENCH_RESULT line", … */
  failure?: string;
}

const KILL_GRACE_MS = 5000;

/**
 * Benches that need longer than the default limit, seconds: `replicas` runs five soaks of 200 lifecycles (four
 * without faults, one through 3 replicas under kills and freezes), each with a PostgreSQL server and replicas to start.
 */
const LONGER_LIMITS_S: Record<string, number> = { replicas: 1500 };

/** The time limit of one bench: BENCH_TIMEOUT_S when set, else its own longer limit or 300 s. */
export function timeoutSeconds(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const fallback = LONGER_LIMITS_S[name] ?? 300;
  const n = Number(env.BENCH_TIMEOUT_S ?? fallback);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 3600) : fallback;
}

/** The bench scripts next to this file, sorted; only those named in `wanted` when it is not empty. */
export function listBenches(dir: string, wanted: readonly string[]): string[] {
  const self = basename(__filename);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== self)
    .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
    .sort();
}

/** Stops a bench's whole process group: SIGTERM, then SIGKILL after a grace period. */
function stopGroup(pid: number, exited: Promise<unknown>): void {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), KILL_GRACE_MS);
  void exited.then(() => clearTimeout(timer));
}

/** Copies whole lines from a bench's stream to ours, prefixed with the bench name; returns a flush for the tail. */
function echoLines(from: NodeJS.ReadableStream, to: NodeJS.WriteStream, name: string): () => void {
  let partial = '';
  from.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) to.write(`[${name}] ${line}\n`);
  });
  return () => {
    if (partial !== '') to.write(`[${name}] ${partial}\n`);
    partial = '';
  };
}

/** Runs one bench script with the loader this process runs under, echoing its output with a name prefix. */
function runBench(file: string, limitS: number): Promise<BenchOutcome> {
  const name = basename(file, '.ts');
  const started = Date.now();
  const child = spawn(process.execPath, [...process.execArgv, file], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const flushOut = echoLines(child.stdout, process.stdout, name);
  const flushErr = echoLines(child.stderr, process.stderr, name);
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('close', (code, signal) => {
      flushOut();
      flushErr();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup(child.pid!, exited);
  }, limitS * 1000);
  return exited.then((end) => {
    clearTimeout(timer);
    const seconds = (Date.now() - started) / 1000;
    if (timedOut) return { name, seconds, failure: `timed out after ${limitS} s` };
    return outcomeOf(name, seconds, end, stdout);
  });
}

function outcomeOf(name: string, seconds: number, end: number | string, stdout: string): BenchOutcome {
  let result: BenchResult | undefined;
  try {
    result = parseResultOutput(stdout);
  } catch (err) {
    return { name, seconds, failure: `bad BENCH_RESULT line: ${(err as Error).message}` };
  }
  if (end !== 0) return { name, seconds, failure: typeof end === 'number' ? `exit ${end}` : String(end), result };
  if (!result) return { name, seconds, failure: 'no BENCH_RESULT line' };
  return { name, seconds, result };
}

/** One row per metric and per skipped part; one row for a bench that failed, was skipped or reported nothing. */
export function summaryRows(outcomes: readonly BenchOutcome[]): string[][] {
  const rows: string[][] = [];
  for (const o of outcomes) {
    const time = `${o.seconds.toFixed(0)} s`;
    const parts = o.result?.skippedParts ?? [];
    if (o.failure) rows.push([o.name, o.failure, '', '', '', 'FAILED', time]);
    else if (o.result?.skipped) rows.push([o.name, o.result.skipped, '', '', '', 'SKIPPED', time]);
    else if (!o.result || (o.result.metrics.length === 0 && parts.length === 0)) rows.push([o.name, 'no metrics', '', '', '', '', time]);
    else {
      for (const m of o.result.metrics) {
        rows.push([o.name, m.metric, formatFigure(m.value), m.unit, m.target ?? '', verdictOf(m), time]);
      }
      for (const p of parts) rows.push([o.name, `${p.part}: ${p.reason}`, '', '', '', 'SKIPPED', time]);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = __dirname;
  const benches = listBenches(dir, process.argv.slice(2));
  const outcomes: BenchOutcome[] = [];
  for (const file of benches) {
    const limitS = timeoutSeconds(basename(file, '.ts'));
    console.log(`=== ${basename(file, '.ts')} (limit ${limitS} s)`);
    outcomes.push(await runBench(join(dir, file), limitS));
  }
  const right = { align: 'right' as const };
  console.log('\n=== benchmark summary');
  console.log(
    renderTable(
      [
        { header: 'bench' },
        { header: 'metric' },
        { header: 'value', ...right },
        { header: 'unit' },
        { header: 'target' },
        { header: 'result' },
        { header: 'time', ...right },
      ],
      summaryRows(outcomes),
    ),
  );
  if (outcomes.some((o) => o.failure)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
