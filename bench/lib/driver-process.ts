import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleValue } from '../../test/support/prometheus-text';
import { rawRequest } from '../../test/support/raw-http';

const ROOT = join(__dirname, '..', '..');
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU time and peak RSS of a process, read from /proc. */
export interface ProcessUsage {
  cpuMs: number;
  peakRssMb: number;
}

/** The driver's own event-loop lag figures from its /metrics (prom-client's default metrics), ms. */
export interface LoopLag {
  p50: number;
  p99: number;
  max: number;
}

/** The driver running as production runs it: `node dist/main.js`, configured by environment variables. */
export interface DriverProcess {
  port: number;
  pid: number;
  /** Where the driver says it answers polls (the `polls` field of its `service started` line). */
  polls: string;
  usage(): ProcessUsage;
  /** Event-loop lag since the previous call (the driver resets it on every /metrics scrape). */
  loopLag(): Promise<LoopLag>;
  /** SIGTERM (the driver's graceful shutdown), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Builds the service with `npm run build` (which empties dist/ first), so that dist/ is the code of this checkout. */
export function buildDist(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Starts `node dist/main.js` with `env` (PORT must be 0) and its stdout (the JSON log) written to `logPath`, and
 * waits for its `service started` line to learn the port. With `cpuProfileDir`, node writes a .cpuprofile there
 * when the driver exits; `nodeFlags` are passed to node (e.g. --trace-gc, whose lines then go to the log file).
 */
export async function startDriverProcess(
  env: Record<string, string>,
  logPath: string,
  opts: { cpuProfileDir?: string; nodeFlags?: string[] } = {},
  timeoutMs = 20_000,
): Promise<DriverProcess> {
  const out = openSync(logPath, 'w');
  const flags = [...(opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : []), ...(opts.nodeFlags ?? [])];
  const child = spawn(process.execPath, [...flags, join(ROOT, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { port, polls } = await waitForStart(logPath, exited, timeoutMs).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  const pid = child.pid!;
  return {
    port,
    pid,
    polls,
    usage: () => readUsage(pid),
    loopLag: () => scrapeLoopLag(port),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(late);
    },
  };
}

async function waitForStart(logPath: string, exited: Promise<void>, timeoutMs: number): Promise<{ port: number; polls: string }> {
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const line of readFileSync(logPath, 'utf8').split('\n')) {
      if (!line.includes('"service started"')) continue;
      const { port, polls } = JSON.parse(line) as { port?: unknown; polls?: unknown };
      if (typeof port === 'number') return { port, polls: typeof polls === 'string' ? polls : 'not said' };
    }
    if (gone) throw new Error(`the driver exited before it started; see ${logPath}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the driver did not log "service started" within ${timeoutMs} ms; see ${logPath}`);
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command) and VmHWM. */
function readUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs: (ticks * 1000) / USER_HZ, peakRssMb: hwm ? Number(hwm[1]) / 1024 : NaN };
}

async function scrapeLoopLag(port: number): Promise<LoopLag> {
  const { body } = await rawRequest(port, 'GET', '/metrics', { agent: false });
  const ms = (series: string): number => (sampleValue(body, series) ?? NaN) * 1000;
  return {
    p50: ms('nodejs_eventloop_lag_p50_seconds'),
    p99: ms('nodejs_eventloop_lag_p99_seconds'),
    max: ms('nodejs_eventloop_lag_max_seconds'),
  };
}
