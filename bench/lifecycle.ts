/**
 * Whole ESC lifecycles through the real driver: N concurrent instantiate + terminate lifecycles against the
 * ESC simulator (zero delays) and the recording NSLCM stub, each job followed with NSLCM's poll loop
 * (responseId 0, then the last one received; stop only on finished/error). The driver (this file with
 * `--driver`) and the simulator (`--simulator`) run in processes of their own, so the driver's CPU time and
 * peak RSS are its own and the poll latencies are not inflated by the simulator's work. The NSLCM side runs on
 * node:http keep-alive connections (bench/lib/nslcm-poller.ts) to keep the load generator's own cost low.
 * The driver is built as the entry point builds it with MSB_URL set (startService with the ONAP southbound
 * factory and HTTP metrics from createMetrics()), its winston logger at LOG_LEVEL info (by default) writing
 * JSON lines to a file in the bench's temporary directory (or BENCH_DRIVER_LOG_FILE, e.g. /dev/null).
 * Reports lifecycles/s, p50/p99 job-poll latency, driver CPU ms per lifecycle and driver peak RSS.
 * Targets: all N finished, p99 poll < 10 ms, peak RSS < 250 MB.
 * Usage: npx tsx bench/lifecycle.ts [N]
 * Env (optional): BENCH_LIFECYCLES (200), BENCH_POLL_MS (50, pause between polls of one job),
 *   BENCH_LIFECYCLE_TIMEOUT_MS (120000), BENCH_DRIVER_LOG_LEVEL (info), BENCH_DRIVER_LOG_FILE (a file in the
 *   temporary directory), BENCH_CPU_PROFILE_DIR (unset; when set, the driver writes a .cpuprofile there).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { ServiceConfig } from '../src/config/config-schema';
import { createLogger } from '../src/logging/logger';
import { startService } from '../src/main';
import { createMetrics } from '../src/metrics';
import { knownHostsName } from '../src/netconf/known-hosts';
import { startSimulator } from '../src/simulator';
import { onapSouthbound } from '../src/wiring/southbound-setup';
import { buildVnfPackage, seedDefaults, startNslcmStub } from '../test/support/nslcm-stub';
import { ESC_USER, FW_LB_PACKAGE, VNFM_ID, buildFwLbInstantiate, fwLbVnfdModel } from '../test/component/lifecycle/esc-service-harness';
import { emitBenchResult, type BenchMetric } from './lib/bench-result';
import { startCpuProfileFromEnv } from './lib/cpu-profile';
import { NslcmPoller } from './lib/nslcm-poller';
import { summarize } from './lib/percentiles';
import { formatFigure, renderTable } from './lib/table';

/** What the driver process reports on request: its CPU time (µs), peak RSS (KiB) and event-loop delay (ms) since the last report. */
interface DriverStats {
  user: number;
  system: number;
  maxRssKb: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

function envInt(name: string, fallback: number, min: number, max: number, raw = process.env[name]): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** Child mode: answers "stats" lines with its CPU time, peak RSS and event-loop delay, runs `stop` when stdin ends. */
function serveChild(ready: string, stop: () => Promise<void>): void {
  const lines = createInterface({ input: process.stdin });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  lines.on('line', (line) => {
    if (line.trim() !== 'stats') return;
    const cpu = process.cpuUsage();
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    const loopDelayMs = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
    delay.reset();
    process.stdout.write(`STATS ${JSON.stringify({ user: cpu.user, system: cpu.system, maxRssKb: process.resourceUsage().maxRSS, loopDelayMs })}\n`);
  });
  lines.once('close', () => void stop().finally(() => process.exit(0)));
  process.stdout.write(`READY ${ready}\n`);
}

/** `--driver`: the service with the ESC driver, configured from BENCH_DRIVER_CONFIG, logging to BENCH_DRIVER_LOG_PATH. */
async function runDriver(): Promise<void> {
  const stopProfile = startCpuProfileFromEnv('lifecycle-driver');
  const config = JSON.parse(process.env.BENCH_DRIVER_CONFIG ?? '{}') as Partial<ServiceConfig>;
  const logStream = createWriteStream(process.env.BENCH_DRIVER_LOG_PATH ?? '/dev/null', { flags: 'a' });
  const log = createLogger({ level: config.logLevel ?? 'info', stream: logStream, defaultMeta: { service: 'esc-vnfm-driver' } });
  const svc = await startService({ config, log, metrics: createMetrics(), southboundFactory: onapSouthbound() });
  serveChild(String(svc.port), async () => {
    await svc.stop();
    await stopProfile();
    await new Promise<void>((resolve) => logStream.end(() => resolve()));
  });
}

/** Lines and bytes of the driver's log, by level, once it stopped. */
function describeDriverLog(file: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) return `driver log: written to ${file} (not a regular file, not counted)`;
  const byLevel = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const level = /"level":"(\w+)"/.exec(line)?.[1];
    if (level) byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
  }
  const levels = [...byLevel].map(([level, count]) => `${count} ${level}`).join(', ') || 'no lines';
  return `driver log: ${levels}; ${statSync(file).size} bytes in ${file}`;
}

/** `--simulator`: the ESC simulator with zero delays; READY carries port and host public key. */
async function runSimulator(): Promise<void> {
  const sim = await startSimulator({ port: 0, users: [ESC_USER] });
  serveChild(JSON.stringify({ host: sim.host, port: sim.port, hostPublicKey: sim.hostPublicKey }), () => sim.stop());
}

/** A child process of this script: what it printed on READY, a stats query and a stop. */
interface BenchChild {
  ready: string;
  stats(): Promise<DriverStats>;
  stop(): Promise<void>;
}

function startChild(mode: '--driver' | '--simulator', env: Record<string, string>, timeoutMs = 20_000): Promise<BenchChild> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, __filename, mode], {
    env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiters: Array<(s: DriverStats) => void> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${mode} child did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${mode} child exited early (code ${child.exitCode})`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('STATS ')) waiters.shift()?.(JSON.parse(line.slice(6)) as DriverStats);
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve({
        ready: line.slice(6),
        stats: () => new Promise((r) => {
          waiters.push(r);
          child.stdin!.write('stats\n');
        }),
        stop: async () => {
          child.stdin!.end();
          const late = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(late);
        },
      });
    });
  });
}

/** One instantiate + terminate, polled like NSLCM; returns the poll latencies, or throws naming what failed. */
async function oneLifecycle(nslcm: NslcmPoller, base: string, index: number, pollMs: number, timeoutMs: number): Promise<number[]> {
  const inst = await nslcm.runOperation(`${base}/vnfs`, buildFwLbInstantiate({ vnfInstanceName: `bench_${index}` }), `${base}/jobs`, timeoutMs, pollMs);
  if (inst.last.status !== 'finished') throw new Error(`instantiate ${index}: ${inst.last.statusDescription}`);
  const term = await nslcm.runOperation(`${base}/vnfs/${inst.vnfInstanceId}/terminate`, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 },
    `${base}/jobs`, timeoutMs, pollMs);
  if (term.last.status !== 'finished') throw new Error(`terminate ${index}: ${term.last.statusDescription}`);
  return [...inst.latenciesMs, ...term.latenciesMs];
}

async function main(): Promise<void> {
  const n = envInt('BENCH_LIFECYCLES', 200, 1, 5000, process.argv[2] ?? process.env.BENCH_LIFECYCLES);
  const pollMs = envInt('BENCH_POLL_MS', 50, 0, 5000);
  const timeoutMs = envInt('BENCH_LIFECYCLE_TIMEOUT_MS', 120_000, 1000, 3_600_000);
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bench-'));
  const simChild = await startChild('--simulator', {});
  const sim = JSON.parse(simChild.ready) as { host: string; port: number; hostPublicKey: string };
  const stub = await startNslcmStub();
  seedDefaults(stub, { host: sim.host, port: sim.port });
  stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${knownHostsName(sim.host, sim.port)} ${sim.hostPublicKey}\n`);
  const logLevel = (process.env.BENCH_DRIVER_LOG_LEVEL ?? 'info') as ServiceConfig['logLevel'];
  const logPath = process.env.BENCH_DRIVER_LOG_FILE ?? join(dir, 'driver.log');
  const config: Partial<ServiceConfig> = {
    port: 0, host: '127.0.0.1', storePath: join(dir, 'driver.db'), msbUrl: stub.url,
    logLevel, escKnownHosts: knownHosts, escStrictHostKeyChecking: 'yes',
  };
  process.stdout.write(`driver: startService with the ONAP southbound and HTTP metrics, winston JSON logger at LOG_LEVEL=${logLevel}`
    + ` writing to ${process.env.BENCH_DRIVER_LOG_FILE ?? 'a file in the temporary directory'}\n`);
  const driver = await startChild('--driver', { BENCH_DRIVER_CONFIG: JSON.stringify(config), BENCH_DRIVER_LOG_PATH: logPath });
  try {
    const base = `/api/ciscovnfmdriver/v1/${VNFM_ID}`;
    const nslcm = new NslcmPoller('127.0.0.1', Number(driver.ready));
    const before = await driver.stats();
    const t0 = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: n }, (_, i) => oneLifecycle(nslcm, base, i, pollMs, timeoutMs)));
    const seconds = (Date.now() - t0) / 1000;
    const after = await driver.stats();
    nslcm.close();
    await driver.stop();
    process.stdout.write(`${describeDriverLog(logPath)}\n`);
    report(n, seconds, outcomes, before, after, stub.callsTo(/\/Notify$/).filter((c) => c.status !== 201).length);
  } finally {
    await driver.stop();
    await stub.stop();
    await simChild.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(n: number, seconds: number, outcomes: PromiseSettledResult<number[]>[], before: DriverStats, after: DriverStats, refusedNotifies: number): void {
  const finished = outcomes.filter((o) => o.status === 'fulfilled').length;
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).message)] : []));
  const polls = summarize(outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : [])));
  const cpuMs = (after.user + after.system - before.user - before.system) / 1000;
  const rssMb = after.maxRssKb / 1024;
  const metrics: BenchMetric[] = [
    { metric: 'lifecycles finished', value: finished, unit: 'count', target: `= ${n}`, pass: finished === n },
    { metric: 'lifecycles/s', value: finished / seconds, unit: 'lifecycles/s' },
    { metric: 'job poll p50', value: polls.p50, unit: 'ms' },
    { metric: 'job poll p99', value: polls.p99, unit: 'ms', target: '< 10 ms', pass: polls.p99 < 10 },
    { metric: 'driver CPU per lifecycle', value: cpuMs / Math.max(1, finished), unit: 'ms' },
    { metric: 'driver peak RSS', value: rssMb, unit: 'MB', target: '< 250 MB', pass: rssMb < 250 },
  ];
  process.stdout.write(`${n} concurrent instantiate+terminate lifecycles in ${formatFigure(seconds)} s; ${polls.count} polls; Notify refused by NSLCM: ${refusedNotifies}\n`);
  const d = after.loopDelayMs;
  process.stdout.write(`driver event-loop delay during the run: p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms\n`);
  for (const f of failures.slice(0, 5)) process.stdout.write(`  failed: ${f}\n`);
  const rows = metrics.map((m) => [m.metric, formatFigure(m.value), m.unit, m.target ?? '', m.pass === undefined ? '' : m.pass ? 'ok' : 'MISS']);
  process.stdout.write(`${renderTable([{ header: 'metric' }, { header: 'value', align: 'right' }, { header: 'unit' }, { header: 'target' }, { header: '' }], rows)}\n`);
  emitBenchResult({ name: 'lifecycle', metrics });
}

if (process.argv.includes('--driver') || process.argv.includes('--simulator')) {
  (process.argv.includes('--driver') ? runDriver() : runSimulator()).catch((err: Error) => {
    process.stderr.write(`bench child failed: ${err.message}\n`);
    process.exit(1);
  });
} else {
  main().catch((err: Error) => {
    process.stderr.write(`lifecycle bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
