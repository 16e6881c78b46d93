/**
 * Whole ESC lifecycles through the real driver, at what NSLCM asks of it: N concurrent instantiate + terminate
 * lifecycles, each job followed with NSLCM's wait loop (responseId 0, then the last one received; stop on finished
 * or error) at NSLCM's cadence, a poll per job every 2 s (docs/nslcm-contract.md §4), for N = 200 and N = 1,000. Each pass has a
 * driver of its own, which first runs 1,000 lifecycles, 20 at a time (not counted), as a driver in service has run
 * many: V8 keeps compiling the driver's hot paths for hundreds of lifecycles, and that compiling counts as the
 * driver's CPU. Measured with --trace-opt on the pass of 200: after 20 warm-up lifecycles one after the other, about
 * 360 functions were optimized during it; after 200 lifecycles, 156 optimizations took 583 ms of compiler time
 * (2.9 ms of the 14-15 ms per lifecycle); after 1,000, 35 took 130 ms. What is left is what a driver in service costs.
 * The N lifecycles do not all start in the same millisecond: their instantiate POSTs are spread evenly over the first
 * poll interval (2 s; lifecycle i starts at i·2000/N ms), because NSLCM's instantiate requests come from separate NS
 * operations, each its own request from its own caller, not one burst; the header of each pass says so.
 * BENCH_LIFECYCLE_START_SPREAD_MS=0 starts them all at once (the herd), any other value spreads them over that long.
 * The driver runs as production runs it: dist/ is rebuilt (`npm run build`), then `node dist/main.js`, with the
 * container image's NODE_OPTIONS (its V8 heap cap, read from the Dockerfile; printed in each pass's header), in ONAP mode
 * (MSB_URL = the NSLCM stub), its JSON log at LOG_LEVEL info written to a file; it inherits this process's
 * environment for any other setting. The ESC simulator (zero delays) and the recording NSLCM stub (strict grant and
 * Notify validation) run in processes of their own; this process only sends NSLCM's requests, through undici.
 * Reported per N: lifecycles finished, non-2xx answers, poll p50/p99/max, operation-POST p99, driver CPU ms per
 * lifecycle (from /proc) and driver peak RSS (VmHWM); and the CPU, peak RSS and largest event-loop delay of the
 * simulator and the stub, to show where a slow run spent its time.
 * Targets: every lifecycle finished with 0 non-2xx at both sizes; at N = 200 poll p99 < 100 ms (5 % of NSLCM's
 * 2 s interval), poll max < 1 s, POST p99 < 500 ms; at N = 1,000 driver CPU < 15 ms per lifecycle, peak RSS < 250 MB.
 * Usage: npx tsx bench/lifecycle.ts [N ...]   (default: 200 1000)
 * Env (optional): BENCH_LIFECYCLE_TIMEOUT_MS (300000, per operation), BENCH_LIFECYCLE_START_SPREAD_MS (2000, see
 *   above), BENCH_CPU_PROFILE_DIR (unset; when set, the driver, the simulator and the stub each write a .cpuprofile
 *   there when they exit).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { knownHostsName } from '../src/netconf/known-hosts';
import { startSimulator } from '../src/simulator';
import { buildVnfPackage, seedDefaults, startNslcmStub } from '../test/support/nslcm-stub';
import {
  ESC_USER,
  FW_LB_PACKAGE,
  STUB_VIM_CONNECTOR,
  VNFM_ID,
  buildFwLbInstantiate,
  fwLbVnfdModel,
} from '../test/component/lifecycle/esc-service-harness';
import { emitBenchResult, metricsTable, type BenchMetric } from './lib/bench-result';
import { buildDist, imageNodeOptions, startDriverProcess } from './lib/driver-process';
import { lifecycleMetrics, type LifecycleFigures } from './lib/lifecycle-targets';
import { NslcmPoller } from './lib/nslcm-poller';
import { summarize } from './lib/percentiles';
import { formatFigure } from './lib/table';

/** NSLCM's pause between two polls of one job (docs/nslcm-contract.md §4 "Job polling"). */
const POLL_MS = 2000;
/**
 * Lifecycles run before each measured pass and not counted, WARM_UP_CONCURRENCY at a time: a driver in service has
 * its code compiled (concurrent paths included) and its ESC session open, which the first lifecycles of a fresh
 * process pay for.
 */
const WARM_UP = 1000;
const WARM_UP_CONCURRENCY = 20;
const profileFlags = (): string[] => {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
};

/** What a child process reports when asked: CPU time (ms), peak RSS (MB) and its largest event-loop delay (ms). */
interface ChildStats {
  cpuMs: number;
  peakRssMb: number;
  maxLoopDelayMs: number;
}

/** Child mode: answers a "stats" line with its figures, stops (running `stop`) when stdin ends. */
function serveChild(ready: string, stop: () => Promise<void>): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line.trim() !== 'stats') return;
      const cpu = process.cpuUsage();
      const stats: ChildStats = {
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        maxLoopDelayMs: delay.max / 1e6,
      };
      process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    })
    .once('close', () => void stop().finally(() => process.exit(0)));
  process.stdout.write(`READY ${ready}\n`);
}

/** `--simulator`: the ESC simulator with zero delays; READY carries host, port and host public key. */
async function runSimulator(): Promise<void> {
  const sim = await startSimulator({ port: 0, users: [ESC_USER], vimConnectors: [STUB_VIM_CONNECTOR] });
  serveChild(JSON.stringify({ host: sim.host, port: sim.port, hostPublicKey: sim.hostPublicKey }), () => sim.stop());
}

/** `--nslcm`: the NSLCM + catalog stub seeded with the VNFM pointing at the simulator in BENCH_ESC; READY carries its URL. */
async function runNslcm(): Promise<void> {
  const esc = JSON.parse(process.env.BENCH_ESC ?? '{}') as { host: string; port: number };
  const stub = await startNslcmStub();
  seedDefaults(stub, esc);
  stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
  serveChild(stub.url, () => stub.stop());
}

/** A child process of this script. */
interface BenchChild {
  ready: string;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

function startChild(mode: '--simulator' | '--nslcm', env: Record<string, string>): Promise<BenchChild> {
  const child = spawn(process.execPath, [...profileFlags(), ...process.execArgv, __filename, mode], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiters: ((s: ChildStats) => void)[] = [];
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`${mode} child exited (code ${child.exitCode})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('STATS ')) waiters.shift()?.(JSON.parse(line.slice(6)) as ChildStats);
      if (!line.startsWith('READY ')) return;
      resolve({
        ready: line.slice(6),
        stats: () =>
          new Promise((r) => {
            waiters.push(r);
            child.stdin.write('stats\n');
          }),
        stop: async () => {
          child.stdin.end();
          const late = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(late);
        },
      });
    });
  });
}

/** One instantiate + terminate as NSLCM drives it; resolves with its polls' and POSTs' round trips, ms. */
async function oneLifecycle(
  nslcm: NslcmPoller,
  index: number,
  timeoutMs: number,
  pollMs = POLL_MS,
  startAfterMs = 0,
): Promise<{ pollsMs: number[]; postsMs: number[] }> {
  if (startAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, startAfterMs));
  const base = `/api/ciscovnfmdriver/v1/${VNFM_ID}`;
  const inst = await nslcm.runOperation(
    `${base}/vnfs`,
    buildFwLbInstantiate({ vnfInstanceName: `bench_${index}` }),
    `${base}/jobs`,
    pollMs,
    timeoutMs,
  );
  if (inst.last.status !== 'finished') throw new Error(`instantiate ${index}: ${inst.last.statusDescription}`);
  const term = await nslcm.runOperation(
    `${base}/vnfs/${inst.vnfInstanceId}/terminate`,
    { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 },
    `${base}/jobs`,
    pollMs,
    timeoutMs,
  );
  if (term.last.status !== 'finished') throw new Error(`terminate ${index}: ${term.last.statusDescription}`);
  return { pollsMs: [...inst.pollsMs, ...term.pollsMs], postsMs: [inst.postMs, term.postMs] };
}

/** Starts the simulator, the stub and the driver, runs N lifecycles, stops them; returns the figures. */
async function runPass(n: number, timeoutMs: number, spreadMs: number): Promise<LifecycleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bench-'));
  const sim = await startChild('--simulator', {});
  const esc = JSON.parse(sim.ready) as { host: string; port: number; hostPublicKey: string };
  const stub = await startChild('--nslcm', { BENCH_ESC: JSON.stringify({ host: esc.host, port: esc.port }) });
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${knownHostsName(esc.host, esc.port)} ${esc.hostPublicKey}\n`);
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    STORE_PATH: join(dir, 'driver.db'),
    MSB_URL: stub.ready,
    LOG_LEVEL: 'info',
    ESC_KNOWN_HOSTS: knownHosts,
    ESC_STRICT_HOST_KEY_CHECKING: 'yes',
  };
  const driver = await startDriverProcess(env, join(dir, 'driver.log'), profileFlags());
  const nslcm = new NslcmPoller(`http://127.0.0.1:${driver.port}`);
  try {
    const warm = new NslcmPoller(`http://127.0.0.1:${driver.port}`);
    for (let first = 0; first < WARM_UP; first += WARM_UP_CONCURRENCY) {
      const wave = Math.min(WARM_UP_CONCURRENCY, WARM_UP - first);
      await Promise.all(Array.from({ length: wave }, (_, k) => oneLifecycle(warm, n + first + k, timeoutMs, 10)));
    }
    await warm.close();
    const cpuBefore = driver.usage().cpuMs;
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => oneLifecycle(nslcm, i, timeoutMs, POLL_MS, (i * spreadMs) / n)),
    );
    const seconds = (performance.now() - t0) / 1000;
    const usage = driver.usage();
    const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
    return {
      n,
      seconds,
      finished: done.length,
      failures,
      non2xx: [...nslcm.non2xx.values()].reduce((a, b) => a + b, 0),
      polls: summarize(done.flatMap((d) => d.pollsMs)),
      posts: summarize(done.flatMap((d) => d.postsMs)),
      driverCpuMs: usage.cpuMs - cpuBefore,
      driverPeakRssMb: usage.peakRssMb,
      simulator: await sim.stats(),
      stub: await stub.stats(),
    };
  } finally {
    await nslcm.close();
    await driver.stop();
    await stub.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The human-readable lines of one pass. */
function describePass(f: LifecycleFigures): string {
  const child = (name: string, s: ChildStats): string =>
    `${name}: CPU ${formatFigure(s.cpuMs / 1000)} s, peak RSS ${formatFigure(s.peakRssMb)} MB, largest event-loop delay ${formatFigure(s.maxLoopDelayMs)} ms`;
  return [
    `N = ${f.n}: ${f.finished} of ${f.n} lifecycles finished in ${formatFigure(f.seconds)} s; ${f.polls.count} polls; ${f.non2xx} non-2xx answers`,
    `driver: CPU ${formatFigure(f.driverCpuMs / 1000)} s, peak RSS ${formatFigure(f.driverPeakRssMb)} MB`,
    child('simulator', f.simulator),
    child('NSLCM stub', f.stub),
    ...f.failures.slice(0, 5).map((m) => `  failed: ${m}`),
    ...(f.failures.length > 5 ? [`  ... and ${f.failures.length - 5} more`] : []),
  ].join('\n');
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes) if (!Number.isInteger(n) || n < 1 || n > 5000) throw new Error(`N must be an integer in [1, 5000], got ${n}`);
  const timeoutMs = Number(process.env.BENCH_LIFECYCLE_TIMEOUT_MS ?? 300_000);
  const spreadMs = Number(process.env.BENCH_LIFECYCLE_START_SPREAD_MS ?? POLL_MS);
  if (!Number.isFinite(spreadMs) || spreadMs < 0) throw new Error(`BENCH_LIFECYCLE_START_SPREAD_MS must be >= 0, got ${spreadMs}`);
  process.stdout.write('building dist/ (npm run build) ...\n');
  buildDist();
  const metrics: BenchMetric[] = [];
  for (const n of sizes.length > 0 ? sizes : [200, 1000]) {
    const start =
      spreadMs > 0
        ? `their instantiate POSTs spread evenly over the first ${spreadMs} ms (one every ${formatFigure(spreadMs / n)} ms), as requests of separate NS operations`
        : 'all instantiate POSTs at once';
    process.stdout.write(`\n== ${n} concurrent lifecycles, a poll per job every ${POLL_MS} ms; ${start}\n`);
    process.stdout.write(
      `driver: node dist/main.js, NODE_OPTIONS as in the image: ${imageNodeOptions() || '(none)'}; warmed up by ${WARM_UP} lifecycles, ${WARM_UP_CONCURRENCY} at a time, not counted\n`,
    );
    const figures = await runPass(n, timeoutMs, spreadMs);
    process.stdout.write(`${describePass(figures)}\n`);
    metrics.push(...lifecycleMetrics(figures));
  }
  const spreadNote =
    spreadMs > 0
      ? `each pass's N instantiate POSTs spread evenly over its first ${spreadMs} ms`
      : "each pass's N instantiate POSTs sent at once";
  process.stdout.write(`\n${spreadNote}\n${metricsTable(metrics)}\n`);
  emitBenchResult({ name: 'lifecycle', metrics });
}

const childMain = { '--simulator': runSimulator, '--nslcm': runNslcm }[process.argv[2] ?? ''];
(childMain ?? main)().catch((err: Error) => {
  process.stderr.write(`lifecycle bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
