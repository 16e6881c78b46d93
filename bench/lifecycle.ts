/**
 * Whole ESC lifecycles through the real driver: N concurrent instantiate + terminate lifecycles against the
 * ESC simulator (zero delays) and the recording NSLCM stub, each job followed with NSLCM's poll loop
 * (responseId 0, then the last one received; stop only on finished/error). The driver (this file with
 * `--driver`) and the simulator (`--simulator`) run in processes of their own, so the driver's CPU time and
 * peak RSS are its own and the poll latencies are not inflated by the simulator's work.
 * Reports lifecycles/s, p50/p99 job-poll latency, driver CPU ms per lifecycle and driver peak RSS.
 * Targets: all N finished, p99 poll < 10 ms, peak RSS < 250 MB.
 * Usage: npx tsx bench/lifecycle.ts [N]
 * Env (optional): BENCH_LIFECYCLES (200), BENCH_POLL_MS (50, pause between polls of one job),
 *   BENCH_LIFECYCLE_TIMEOUT_MS (120000), BENCH_DRIVER_LOG_LEVEL (warn).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServiceConfig } from '../src/config/config-schema';
import { createLogger } from '../src/logging/logger';
import { startService } from '../src/main';
import { knownHostsName } from '../src/netconf/known-hosts';
import { startSimulator } from '../src/simulator';
import { escSouthboundFactory } from '../src/wiring/esc-driver';
import { buildVnfPackage, seedDefaults, startNslcmStub } from '../test/support/nslcm-stub';
import { ESC_USER, FW_LB_PACKAGE, VNFM_ID, buildFwLbInstantiate, fwLbVnfdModel, runOperation } from '../test/component/lifecycle/esc-service-harness';
import { emitBenchResult, type BenchMetric } from './lib/bench-result';
import { summarize } from './lib/percentiles';
import { formatFigure, renderTable } from './lib/table';

/** What the driver process reports on request: its CPU time (µs) and peak RSS (KiB). */
interface DriverStats {
  user: number;
  system: number;
  maxRssKb: number;
}

function envInt(name: string, fallback: number, min: number, max: number, raw = process.env[name]): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** Child mode: answers "stats" lines with its CPU time and peak RSS, runs `stop` when stdin ends. */
function serveChild(ready: string, stop: () => Promise<void>): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'stats') return;
    const cpu = process.cpuUsage();
    process.stdout.write(`STATS ${JSON.stringify({ user: cpu.user, system: cpu.system, maxRssKb: process.resourceUsage().maxRSS })}\n`);
  });
  lines.once('close', () => void stop().finally(() => process.exit(0)));
  process.stdout.write(`READY ${ready}\n`);
}

/** `--driver`: the service with the ESC driver, configured from BENCH_DRIVER_CONFIG. */
async function runDriver(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_DRIVER_CONFIG ?? '{}') as Partial<ServiceConfig>;
  const log = createLogger({ level: config.logLevel ?? 'warn', defaultMeta: { service: 'esc-vnfm-driver' } });
  const svc = await startService({ config, log, createSouthbound: escSouthboundFactory() });
  serveChild(String(svc.port), () => svc.stop());
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
async function oneLifecycle(base: string, index: number, pollMs: number, timeoutMs: number): Promise<number[]> {
  const inst = await runOperation(base, '/vnfs', buildFwLbInstantiate({ vnfInstanceName: `bench_${index}` }), timeoutMs, pollMs);
  if (inst.last.status !== 'finished') throw new Error(`instantiate ${index}: ${inst.last.statusDescription}`);
  const term = await runOperation(base, `/vnfs/${inst.vnfInstanceId}/terminate`, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 }, timeoutMs, pollMs);
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
  const config: Partial<ServiceConfig> = {
    port: 0, host: '127.0.0.1', storePath: join(dir, 'driver.db'), msbUrl: stub.url,
    logLevel: (process.env.BENCH_DRIVER_LOG_LEVEL ?? 'warn') as ServiceConfig['logLevel'], escKnownHosts: knownHosts, escStrictHostKeyChecking: 'yes',
  };
  const driver = await startChild('--driver', { BENCH_DRIVER_CONFIG: JSON.stringify(config) });
  try {
    const base = `http://127.0.0.1:${driver.ready}/api/ciscovnfmdriver/v1/${VNFM_ID}`;
    const before = await driver.stats();
    const t0 = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: n }, (_, i) => oneLifecycle(base, i, pollMs, timeoutMs)));
    const seconds = (Date.now() - t0) / 1000;
    const after = await driver.stats();
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
