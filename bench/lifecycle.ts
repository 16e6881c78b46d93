/**
 * Whole ESC lifecycles through the real driver: N concurrent instantiate + terminate lifecycles against the
 * ESC simulator (zero delays) and the recording NSLCM stub, each job followed with NSLCM's poll loop
 * (responseId 0, then the last one received; stop only on finished/error), at NSLCM's cadence (CONTRACT.md: a poll
 * every 2 s per job), which the targets apply to, then once more as a stress pass polling every 50 ms, reported
 * without targets.
 * The driver runs as production runs it: dist/ is rebuilt (`npm run build`), then `node dist/main.js` is started
 * in ONAP mode (MSB_URL = the stub) with its winston JSON log at LOG_LEVEL info (by default) on stdout, written to
 * a file in the bench's temporary directory (or BENCH_DRIVER_LOG_FILE). Its CPU time and peak RSS (VmHWM) are
 * read from /proc, its event-loop lag from its own /metrics. The simulator (`--simulator`) and the NSLCM stub
 * (`--nslcm`) run in processes of their own too, so this process only polls, on keep-alive connections of a lean
 * HTTP client (bench/lib/nslcm-poller.ts), and every process's CPU time is reported. The driver (every thread of
 * it) gets one CPU of its own (bench/lib/cpu-placement.ts), as it has in production, where ESC and NSLCM run
 * elsewhere: its threads take turns only with each other, as in a container limited to one CPU. The load generator,
 * the simulator and the stub share the other CPUs, the load generator at nice -10 so that its own waits for a CPU
 * are not counted as poll latency, the other two at nice 10. These three run with V8's --single-threaded-gc (the
 * script starts itself again with it, and its children inherit it): on a shared CPU, a parallel collection hands
 * work to helper threads that then wait for that same CPU, which stretches the pause of a poll being measured.
 * The driver keeps node's defaults. Where the driver answers polls (its poll thread and that thread's priority,
 * from its `service started` line) is printed.
 * Reports lifecycles/s, p50/p99 job-poll latency, driver CPU ms per lifecycle and driver peak RSS, and when the polls of
 * 10 ms or more were sent (stretches of 0.25 s since the run began, first polls of their job or later ones).
 * Targets: all N finished, p99 poll < 10 ms, peak RSS < 250 MB.
 * Usage: npx tsx bench/lifecycle.ts [N]
 * Env (optional): BENCH_LIFECYCLES (200), BENCH_POLL_MS (2000, pause between polls of one job), BENCH_STRESS_POLL_MS
 *   (50; 0 skips the stress pass), BENCH_POLL_JITTER_PCT (0; each pause drawn from pollMs ± this many percent),
 *   BENCH_LIFECYCLE_TIMEOUT_MS (120000), BENCH_DRIVER_LOG_LEVEL (info), BENCH_DRIVER_LOG_FILE (a file in the
 *   temporary directory), BENCH_CPU_PROFILE_DIR (unset; when set, the driver writes a .cpuprofile there on exit),
 *   BENCH_DRIVER_NODE_FLAGS (unset; more node flags for the driver, e.g. --trace-gc), BENCH_ISOLATE (1; 0 leaves
 *   every process on every CPU instead of giving the driver a CPU of its own, see bench/lib/cpu-placement.ts).
 *   The driver's POLL_THREAD and POLL_THREAD_NICE are passed on when set (to compare polls answered on the main
 *   thread, or on a poll thread at normal priority).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { emitBenchResult, type BenchMetric } from './lib/bench-result';
import { isolateMeasuredProcess, releaseProcess } from './lib/cpu-placement';
import { buildDist, startDriverProcess, type DriverProcess, type LoopLag } from './lib/driver-process';
import { rerunWithNodeFlags } from './lib/node-flags';
import { NslcmPoller, type PolledOutcome, type PollPause } from './lib/nslcm-poller';
import { summarize } from './lib/percentiles';
import { describeSlowPolls, type TimedPoll } from './lib/slow-polls';
import { formatFigure, renderTable } from './lib/table';

/** Event-loop delay (ms) since the last report. */
interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/**
 * What a child process reports on request: its CPU time (µs), peak RSS (KiB), event-loop delay since the last
 * report and, for the NSLCM stub, the number of Notify requests it refused.
 */
interface ChildStats {
  user: number;
  system: number;
  maxRssKb: number;
  loopDelayMs: LoopDelay;
  refusedNotifies?: number;
}

/** Event-loop delay of this process, read (and reset) by calling the returned function. */
function loopDelayMonitor(): () => LoopDelay {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return () => {
    const d = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
    delay.reset();
    return d;
  };
}

function envInt(name: string, fallback: number, min: number, max: number, raw = process.env[name]): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
}

/** Child mode: answers "stats" lines with its CPU time, peak RSS and event-loop delay (plus `extra`), runs `stop` when stdin ends. */
function serveChild(ready: string, stop: () => Promise<void>, extra: () => Partial<ChildStats> = () => ({})): void {
  const lines = createInterface({ input: process.stdin });
  const loopDelay = loopDelayMonitor();
  lines.on('line', (line) => {
    if (line.trim() !== 'stats') return;
    const cpu = process.cpuUsage();
    const stats: ChildStats = {
      user: cpu.user,
      system: cpu.system,
      maxRssKb: process.resourceUsage().maxRSS,
      loopDelayMs: loopDelay(),
      ...extra(),
    };
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
  });
  lines.once('close', () => void stop().finally(() => process.exit(0)));
  process.stdout.write(`READY ${ready}\n`);
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
  const sim = await startSimulator({ port: 0, users: [ESC_USER], vimConnectors: [STUB_VIM_CONNECTOR] });
  serveChild(JSON.stringify({ host: sim.host, port: sim.port, hostPublicKey: sim.hostPublicKey }), () => sim.stop());
}

/**
 * `--nslcm`: the recording NSLCM + catalog stub (strict grant and Notify validation) seeded with the VNFM pointing
 * at the simulator given in BENCH_ESC and the demo package; READY carries its URL.
 */
async function runNslcm(): Promise<void> {
  const esc = JSON.parse(process.env.BENCH_ESC ?? '{}') as { host: string; port: number };
  const stub = await startNslcmStub();
  seedDefaults(stub, esc);
  stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
  serveChild(
    stub.url,
    () => stub.stop(),
    () => ({ refusedNotifies: stub.callsTo(/\/Notify$/).filter((c) => c.status !== 201).length }),
  );
}

/** A child process of this script: what it printed on READY, a stats query and a stop. */
interface BenchChild {
  ready: string;
  pid: number;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

type ChildMode = '--simulator' | '--nslcm';

function startChild(mode: ChildMode, env: Record<string, string>, timeoutMs = 20_000): Promise<BenchChild> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, __filename, mode], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiters: Array<(s: ChildStats) => void> = [];
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
      if (line.startsWith('STATS ')) waiters.shift()?.(JSON.parse(line.slice(6)) as ChildStats);
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve({
        ready: line.slice(6),
        pid: child.pid!,
        stats: () =>
          new Promise((r) => {
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

/** Polls this slow or slower are listed by when they were sent, in stretches of SLOW_POLL_BUCKET_MS. */
const SLOW_POLL_MS = 10;
const SLOW_POLL_BUCKET_MS = 250;

/** Driver settings taken from the bench's own environment when set. */
const PASSED_ON = ['POLL_THREAD', 'POLL_THREAD_NICE'];

/** What one lifecycle's requests took: its polls (times since the run began) and its two POSTs' round trips. */
interface LifecycleTimes {
  polls: TimedPoll[];
  postsMs: number[];
}

/** One instantiate + terminate, polled like NSLCM, from `t0` (performance.now()); throws naming what failed. */
async function oneLifecycle(
  nslcm: NslcmPoller,
  base: string,
  index: number,
  pollMs: PollPause,
  timeoutMs: number,
  t0: number,
): Promise<LifecycleTimes> {
  const inst = await nslcm.runOperation(
    `${base}/vnfs`,
    buildFwLbInstantiate({ vnfInstanceName: `bench_${index}` }),
    `${base}/jobs`,
    timeoutMs,
    pollMs,
  );
  if (inst.last.status !== 'finished') throw new Error(`instantiate ${index}: ${inst.last.statusDescription}`);
  const term = await nslcm.runOperation(
    `${base}/vnfs/${inst.vnfInstanceId}/terminate`,
    { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 },
    `${base}/jobs`,
    timeoutMs,
    pollMs,
  );
  if (term.last.status !== 'finished') throw new Error(`terminate ${index}: ${term.last.statusDescription}`);
  const timed = (outcome: PolledOutcome, operation: string): TimedPoll[] =>
    outcome.latenciesMs.map((ms, i) => ({ ms, atMs: outcome.sentAtMs[i]! - t0, nth: i + 1, operation }));
  return { polls: [...timed(inst, 'instantiate'), ...timed(term, 'terminate')], postsMs: [inst.postMs, term.postMs] };
}

/** One run of N lifecycles: how often polls are sent and how the figures are labelled. */
interface PassOptions {
  n: number;
  pollMs: number;
  jitterPct: number;
  timeoutMs: number;
  /** The pass whose figures carry the targets (the others are reported without). */
  primary: boolean;
  label: string;
}

/** Node flags of the load generator, the simulator and the NSLCM stub (see the header). */
const HARNESS_NODE_FLAGS = ['--single-threaded-gc'];

async function main(): Promise<void> {
  const n = envInt('BENCH_LIFECYCLES', 200, 1, 5000, process.argv[2] ?? process.env.BENCH_LIFECYCLES);
  const pollMs = envInt('BENCH_POLL_MS', 2000, 0, 10_000);
  const stressPollMs = envInt('BENCH_STRESS_POLL_MS', 50, 0, 10_000);
  const jitterPct = envInt('BENCH_POLL_JITTER_PCT', 0, 0, 100);
  const timeoutMs = envInt('BENCH_LIFECYCLE_TIMEOUT_MS', 120_000, 1000, 3_600_000);
  process.stdout.write('building dist/ (npm run build) ...\n');
  buildDist();
  const metrics = await runPass({
    n,
    pollMs,
    jitterPct,
    timeoutMs,
    primary: true,
    label: `NSLCM's cadence: a poll every ${pollMs} ms per job`,
  });
  if (stressPollMs > 0) {
    const stress = await runPass({
      n,
      pollMs: stressPollMs,
      jitterPct,
      timeoutMs,
      primary: false,
      label: `stress: a poll every ${stressPollMs} ms per job`,
    });
    metrics.push(...stress.map((m) => ({ ...m, metric: `${m.metric} (poll every ${stressPollMs} ms)` })));
  }
  emitBenchResult({ name: 'lifecycle', metrics });
}

/** Starts the simulator, the NSLCM stub and the driver, runs N lifecycles, prints the pass's table and stops them. */
async function runPass(opts: PassOptions): Promise<BenchMetric[]> {
  const { n, pollMs, jitterPct, timeoutMs } = opts;
  const pause: PollPause = jitterPct === 0 ? pollMs : () => pollMs * (1 + (jitterPct / 100) * (2 * Math.random() - 1));
  process.stdout.write(`\n== ${opts.label}${jitterPct > 0 ? ` (± ${jitterPct} %)` : ''}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bench-'));
  const simChild = await startChild('--simulator', {});
  const sim = JSON.parse(simChild.ready) as { host: string; port: number; hostPublicKey: string };
  const nslcmChild = await startChild('--nslcm', { BENCH_ESC: JSON.stringify({ host: sim.host, port: sim.port }) });
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${knownHostsName(sim.host, sim.port)} ${sim.hostPublicKey}\n`);
  const logLevel = process.env.BENCH_DRIVER_LOG_LEVEL ?? 'info';
  const logPath = (opts.primary ? process.env.BENCH_DRIVER_LOG_FILE : undefined) ?? join(dir, 'driver.log');
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    STORE_PATH: join(dir, 'driver.db'),
    MSB_URL: nslcmChild.ready,
    LOG_LEVEL: logLevel,
    ESC_KNOWN_HOSTS: knownHosts,
    ESC_STRICT_HOST_KEY_CHECKING: 'yes',
    ...Object.fromEntries(PASSED_ON.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key]!]]))),
  };
  process.stdout.write(
    `driver: node dist/main.js (ONAP mode, MSB_URL = the NSLCM stub), LOG_LEVEL=${logLevel}, JSON log on stdout written to` +
      ` ${logPath === process.env.BENCH_DRIVER_LOG_FILE ? logPath : 'a file in the temporary directory'}\n`,
  );
  let driver: DriverProcess | undefined;
  try {
    const nodeFlags = (process.env.BENCH_DRIVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    driver = await startDriverProcess(env, logPath, {
      cpuProfileDir: opts.primary ? process.env.BENCH_CPU_PROFILE_DIR : undefined,
      nodeFlags,
    });
    const placement =
      process.env.BENCH_ISOLATE === '0'
        ? 'processes not placed (BENCH_ISOLATE=0): all share every CPU'
        : isolateMeasuredProcess(driver.pid, process.pid, [simChild.pid, nslcmChild.pid]);
    const harnessFlags = process.execArgv.filter((flag) => HARNESS_NODE_FLAGS.includes(flag)).join(' ') || 'default flags';
    process.stdout.write(
      `${placement}\nload generator, simulator and NSLCM stub: node with ${harnessFlags}\ndriver's polls: ${driver.polls}\n`,
    );
    const base = `/api/ciscovnfmdriver/v1/${VNFM_ID}`;
    const nslcm = new NslcmPoller('127.0.0.1', driver.port);
    const children = { simulator: simChild, 'NSLCM stub': nslcmChild };
    const before = await statsOf(children);
    const driverBefore = driver.usage();
    await driver.loopLag();
    const ownLoopDelay = loopDelayMonitor();
    const ownCpu = process.cpuUsage();
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: n }, (_, i) => oneLifecycle(nslcm, base, i, pause, timeoutMs, t0)));
    const seconds = (performance.now() - t0) / 1000;
    const driverAfter = driver.usage();
    const driverLag = await driver.loopLag();
    const after = await statsOf(children);
    const own = process.cpuUsage(ownCpu);
    after['load generator'] = { user: own.user, system: own.system, maxRssKb: process.resourceUsage().maxRSS, loopDelayMs: ownLoopDelay() };
    before['load generator'] = { user: 0, system: 0, maxRssKb: 0, loopDelayMs: { p50: 0, p99: 0, max: 0 } };
    nslcm.close();
    await driver.stop();
    process.stdout.write(`${describeDriverLog(logPath)}\n`);
    const driverFigures: DriverFigures = {
      cpuMs: driverAfter.cpuMs - driverBefore.cpuMs,
      peakRssMb: driverAfter.peakRssMb,
      loopLag: driverLag,
    };
    return report(n, seconds, outcomes, driverFigures, before, after, opts.primary);
  } finally {
    await driver?.stop();
    await nslcmChild.stop();
    await simChild.stop();
    releaseProcess(process.pid);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The driver's figures over the run. */
interface DriverFigures {
  cpuMs: number;
  peakRssMb: number;
  loopLag: LoopLag;
}

/** Stats of every child, by name. */
async function statsOf(children: Record<string, BenchChild>): Promise<Record<string, ChildStats>> {
  const entries = await Promise.all(Object.entries(children).map(async ([name, child]) => [name, await child.stats()] as const));
  return Object.fromEntries(entries);
}

/** Prints one pass's figures and table; returns its metrics. */
function report(
  n: number,
  seconds: number,
  outcomes: PromiseSettledResult<LifecycleTimes>[],
  driver: DriverFigures,
  before: Record<string, ChildStats>,
  after: Record<string, ChildStats>,
  withTargets: boolean,
): BenchMetric[] {
  const finished = outcomes.filter((o) => o.status === 'fulfilled').length;
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).message)] : []));
  const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const timedPolls = done.flatMap((t) => t.polls);
  const polls = summarize(timedPolls.map((p) => p.ms));
  const posts = summarize(done.flatMap((t) => t.postsMs));
  const cpuMsOf = (name: string): number => (after[name]!.user + after[name]!.system - before[name]!.user - before[name]!.system) / 1000;
  const cpuMs = driver.cpuMs;
  const rssMb = driver.peakRssMb;
  const refusedNotifies = after['NSLCM stub']!.refusedNotifies ?? 0;
  const metrics: BenchMetric[] = [
    { metric: 'lifecycles finished', value: finished, unit: 'count', target: `= ${n}`, pass: finished === n },
    { metric: 'lifecycles/s', value: finished / seconds, unit: 'lifecycles/s' },
    { metric: 'job poll p50', value: polls.p50, unit: 'ms' },
    { metric: 'job poll p99', value: polls.p99, unit: 'ms', target: '< 10 ms', pass: polls.p99 < 10 },
    { metric: 'driver CPU per lifecycle', value: cpuMs / Math.max(1, finished), unit: 'ms' },
    { metric: 'driver peak RSS', value: rssMb, unit: 'MB', target: '< 250 MB', pass: rssMb < 250 },
  ];
  process.stdout.write(
    `${n} concurrent instantiate+terminate lifecycles in ${formatFigure(seconds)} s; ${polls.count} polls; Notify refused by NSLCM: ${refusedNotifies}\n`,
  );
  const lag = driver.loopLag;
  process.stdout.write(
    `driver: CPU ${formatFigure(cpuMs / 1000)} s, peak RSS ${formatFigure(rssMb)} MB,` +
      ` event-loop lag (its /metrics) p50 ${formatFigure(lag.p50)} ms, p99 ${formatFigure(lag.p99)} ms, max ${formatFigure(lag.max)} ms\n`,
  );
  for (const name of Object.keys(after)) {
    const d = after[name]!.loopDelayMs;
    process.stdout.write(
      `${name}: CPU ${formatFigure(cpuMsOf(name) / 1000)} s, peak RSS ${formatFigure(after[name]!.maxRssKb / 1024)} MB,` +
        ` event-loop delay p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms\n`,
    );
  }
  process.stdout.write(
    `operation POSTs: p50 ${formatFigure(posts.p50)} ms, p99 ${formatFigure(posts.p99)} ms, max ${formatFigure(posts.max)} ms\n`,
  );
  process.stdout.write(`${describeSlowPolls(timedPolls, SLOW_POLL_MS, SLOW_POLL_BUCKET_MS).join('\n')}\n`);
  for (const f of failures.slice(0, 5)) process.stdout.write(`  failed: ${f}\n`);
  const shown = withTargets ? metrics : metrics.map(({ metric, value, unit }) => ({ metric, value, unit }) as BenchMetric);
  const rows = shown.map((m) => [
    m.metric,
    formatFigure(m.value),
    m.unit,
    m.target ?? '',
    m.pass === undefined ? '' : m.pass ? 'ok' : 'MISS',
  ]);
  process.stdout.write(
    `${renderTable([{ header: 'metric' }, { header: 'value', align: 'right' }, { header: 'unit' }, { header: 'target' }, { header: '' }], rows)}\n`,
  );
  return shown;
}

const childMain = { '--simulator': runSimulator, '--nslcm': runNslcm }[process.argv[2] ?? ''];
if (childMain) {
  childMain().catch((err: Error) => {
    process.stderr.write(`bench child failed: ${err.message}\n`);
    process.exit(1);
  });
} else {
  const rerun = rerunWithNodeFlags(HARNESS_NODE_FLAGS, __filename, process.argv.slice(2));
  if (rerun) {
    void rerun.then((code) => {
      process.exitCode = code;
    });
  } else {
    main().catch((err: Error) => {
      process.stderr.write(`lifecycle bench failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    });
  }
}
