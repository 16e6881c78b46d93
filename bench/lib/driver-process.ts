import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU time and peak RSS of a process, read from /proc. */
interface ProcessUsage {
  cpuMs: number;
  peakRssMb: number;
}

/** The driver running as production runs it: `node dist/main.js`, configured by environment variables. */
export interface DriverProcess {
  port: number;
  pid: number;
  /** CPU and peak RSS so far; read it before a SIGKILL, the figures go with the process. */
  usage(): ProcessUsage;
  /** Sends a signal to the process (SIGKILL, SIGSTOP, SIGCONT, …); does nothing once it has exited. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** SIGTERM (the driver's graceful shutdown), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Builds the service with `npm run build` (which empties dist/ first), so that dist/ is the code of this checkout. */
export function buildDist(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The Node options the container image runs the service with: the `NODE_OPTIONS` its Dockerfile sets ('' when none),
 * so that a bench runs the driver under the same heap settings as production does.
 */
export function imageNodeOptions(): string {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  return /\bNODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1] ?? '';
}

/**
 * Starts `node dist/main.js` with this process's environment and `env` over it (PORT must be 0), its stdout (the
 * JSON log) written to `logPath`, and waits for its `service started` line to learn the port. The image's Node
 * options ({@link imageNodeOptions}) come first in NODE_OPTIONS; `nodeFlags` are passed to node (e.g. --cpu-prof).
 */
export async function startDriverProcess(
  env: Record<string, string>,
  logPath: string,
  nodeFlags: string[] = [],
  timeoutMs = 20_000,
): Promise<DriverProcess> {
  const out = openSync(logPath, 'w');
  const nodeOptions = [imageNodeOptions(), process.env.NODE_OPTIONS ?? ''].filter(Boolean).join(' ');
  const child = spawn(process.execPath, [...nodeFlags, join(ROOT, 'dist', 'main.js')], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions, ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await waitForStart(logPath, exited, timeoutMs).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  const pid = child.pid!;
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    port,
    pid,
    usage: () => readUsage(pid),
    signal: (signal) => {
      if (!gone()) child.kill(signal);
    },
    exited,
    stop: async (graceMs = 15_000) => {
      if (gone()) return;
      // A stopped process would hold SIGTERM until it is continued.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(late);
    },
  };
}

async function waitForStart(logPath: string, exited: Promise<void>, timeoutMs: number): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const line of readFileSync(logPath, 'utf8').split('\n')) {
      if (!line.includes('"service started"')) continue;
      const { port } = JSON.parse(line) as { port?: unknown };
      if (typeof port === 'number') return port;
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
