/**
 * Job-status polls (GET /api/{type}/v1/{vnfmid}/jobs/{jobId}?responseId=N) against the real driver with 10,000 jobs
 * stored, side by side with two ceilings serving the same JSON body: an Express hello-world route and a bare
 * node:http server. Each server runs in its own process; the load generator runs here, on keep-alive connections.
 *  - saturation: closed-loop clients polling random jobs with random responseIds → polls/s, median of the rounds
 *    (servers measured in turn within each round, so a busy machine affects all three alike);
 *  - paced: a fixed rate (NSLCM polls each job every 2 s: 1,000 polls/s ≈ 2,000 running jobs) → p50/p99 latency.
 * Targets: driver ≥ 0.8 × the Express ceiling; p99 < 5 ms at 1,000 polls/s.
 * The driver is the app as the composition root builds it: HTTP metrics middleware first, one JSON request log
 * line per poll through the winston service logger at LOG_LEVEL info (by default), written to a file in the
 * bench's temporary directory (or BENCH_DRIVER_LOG_FILE, e.g. /dev/null); the log lines are counted afterwards
 * against the requests sent.
 * Usage: npx tsx bench/jobs-poll.ts
 * Env (optional): BENCH_JOBS (10000), BENCH_CONCURRENCY (16), BENCH_DURATION_MS (3000), BENCH_ROUNDS (3),
 *   BENCH_RATE (1000), BENCH_PACED_MS (5000), BENCH_DRIVER_LOG_LEVEL (info), BENCH_DRIVER_LOG_FILE (a file in
 *   the temporary directory), BENCH_CPU_PROFILE_DIR (unset; when set, the driver writes a .cpuprofile there).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitBenchResult } from './lib/bench-result';
import { startChildServer, type ChildServer } from './lib/child-server';
import { runPaced, runSaturation, type LoadResult, type LoadTarget } from './lib/http-load';
import { seedJobs, type SeededJob } from './lib/job-seeder';
import { judge, renderTargets, renderVerdict, toMetrics, type TargetFigures } from './lib/poll-report';

const VNFM_TYPE = 'ciscovnfmdriver';
const VNFM_ID = 'vnfm-bench';
const SERVER_SCRIPT = join(__dirname, 'lib', 'poll-server.ts');

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
}

const settings = {
  jobs: envInt('BENCH_JOBS', 10_000, 1, 100_000),
  concurrency: envInt('BENCH_CONCURRENCY', 16, 1, 512),
  durationMs: envInt('BENCH_DURATION_MS', 3000, 200, 60_000),
  rounds: envInt('BENCH_ROUNDS', 3, 1, 9),
  rate: envInt('BENCH_RATE', 1000, 1, 20_000),
  pacedMs: envInt('BENCH_PACED_MS', 5000, 200, 60_000),
  driverLogLevel: process.env.BENCH_DRIVER_LOG_LEVEL ?? 'info',
  driverLogFile: process.env.BENCH_DRIVER_LOG_FILE,
};

/** Random job, random responseId between 0 (first poll) and its latest, as NSLCM's polls spread over time. */
function pollPaths(jobs: readonly SeededJob[]): () => string {
  return () => {
    const job = jobs[Math.floor(Math.random() * jobs.length)]!;
    const responseId = Math.floor(Math.random() * (job.latestResponseId + 1));
    return `/api/${VNFM_TYPE}/v1/${VNFM_ID}/jobs/${job.jobId}?responseId=${responseId}`;
  };
}

/** One driver poll's body (responseId 2: the middle of a typical history), for the ceilings to serve. */
async function captureBody(port: number, jobs: readonly SeededJob[]): Promise<string> {
  const job = jobs.find((j) => j.latestResponseId === 4) ?? jobs[0]!;
  const res = await fetch(`http://127.0.0.1:${port}/api/${VNFM_TYPE}/v1/${VNFM_ID}/jobs/${job.jobId}?responseId=2`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`driver poll answered ${res.status}: ${text}`);
  return text;
}

interface Server {
  label: string;
  child: ChildServer;
  target: LoadTarget;
  rounds: LoadResult[];
}

async function startServers(dir: string, jobs: readonly SeededJob[], storePath: string, logFile: string): Promise<Server[]> {
  const nextPath = pollPaths(jobs);
  const servers: Server[] = [];
  const add = (label: string, child: ChildServer): void => {
    servers.push({ label, child, target: { port: child.port, nextPath }, rounds: [] });
  };
  add('driver', await startChildServer(SERVER_SCRIPT, ['driver', storePath, settings.driverLogLevel, logFile]));
  const bodyFile = join(dir, 'body.json');
  const body = await captureBody(servers[0]!.child.port, jobs);
  writeFileSync(bodyFile, body);
  console.log(`poll body: ${Buffer.byteLength(body)} bytes`);
  add('express hello-world', await startChildServer(SERVER_SCRIPT, ['express', bodyFile]));
  add('node:http', await startChildServer(SERVER_SCRIPT, ['node-http', bodyFile]));
  return servers;
}

function medianRun(runs: readonly LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((runs.length - 1) / 2)]!;
}

/** Requests sent to each server (answered or not), to check the driver's log against. */
const sentTo = new Map<string, number>();
const countSent = (label: string, r: LoadResult): void => {
  sentTo.set(label, (sentTo.get(label) ?? 0) + r.ok + r.errors);
};

async function measure(servers: Server[]): Promise<TargetFigures[]> {
  const sat = { concurrency: settings.concurrency, durationMs: settings.durationMs, maxRequests: 5_000_000 };
  for (const s of servers) countSent(s.label, await runSaturation(s.target, { ...sat, durationMs: 1000 })); // warm-up, not counted
  for (let r = 0; r < settings.rounds; r++) {
    for (const s of servers) {
      const run = await runSaturation(s.target, sat);
      countSent(s.label, run);
      s.rounds.push(run);
    }
  }
  const figures: TargetFigures[] = [];
  for (const s of servers) {
    const paced = await runPaced(s.target, { ratePerSecond: settings.rate, durationMs: settings.pacedMs, maxInFlight: 256 });
    countSent(s.label, paced);
    figures.push({ label: s.label, rounds: s.rounds.map((x) => x.perSecond), saturation: medianRun(s.rounds), paced });
  }
  return figures;
}

/** What the driver's log holds once it stopped: request lines (message "request") against requests sent. */
function describeDriverLog(logFile: string, sent: number): string {
  if (!existsSync(logFile) || !statSync(logFile).isFile()) return `driver log: written to ${logFile} (not a regular file, not counted)`;
  const text = readFileSync(logFile, 'utf8');
  let requestLines = 0;
  for (const line of text.split('\n')) if (line.includes('"message":"request"')) requestLines++;
  return `driver log: ${requestLines} request lines for ${sent} requests sent, ${statSync(logFile).size} bytes in ${logFile}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-poll-bench-'));
  let servers: Server[] = [];
  try {
    const t0 = Date.now();
    const jobs = await seedJobs(join(dir, 'driver.db'), settings.jobs, VNFM_ID);
    console.log(`seeded ${jobs.length} jobs (3-4 history entries each) in ${Date.now() - t0} ms`);
    const logFile = settings.driverLogFile ?? join(dir, 'driver.log');
    servers = await startServers(dir, jobs, join(dir, 'driver.db'), logFile);
    sentTo.set('driver', 1); // the poll captured for the ceilings' body
    console.log(
      `saturation: ${settings.concurrency} keep-alive clients, ${settings.rounds} × ${settings.durationMs} ms per server;` +
        ` paced: ${settings.rate}/s for ${settings.pacedMs} ms`,
    );
    console.log(
      `driver: startService with HTTP metrics (createMetrics()), winston JSON logger at LOG_LEVEL=${settings.driverLogLevel}` +
        ` writing to ${settings.driverLogFile ?? 'a file in the temporary directory'}`,
    );
    const [driver, express, nodeHttp] = await measure(servers);
    await servers[0]!.child.stop();
    console.log(describeDriverLog(logFile, sentTo.get('driver') ?? 0));
    const verdict = judge(driver!, express!, nodeHttp!);
    console.log(renderTargets([driver!, express!, nodeHttp!], settings.rate));
    console.log(renderVerdict(verdict, settings.rate));
    emitBenchResult({ name: 'jobs-poll', metrics: toMetrics(driver!, express!, nodeHttp!, verdict, settings.rate) });
  } finally {
    await Promise.all(servers.map((s) => s.child.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
