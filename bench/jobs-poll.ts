/**
 * Job-status polls (GET /api/ciscovnfmdriver/v1/{vnfmid}/jobs/{jobId}?responseId=N, a random job and responseId each)
 * against the driver as production runs it (`node dist/main.js`, rebuilt first, standalone mode, JSON log at
 * LOG_LEVEL info to a file), with 10,000 and then 100,000 jobs stored, measured with autocannon:
 *  - with each store: p50/p99/max latency at a fixed rate (1,000 polls/s: NSLCM polling 2,000 running jobs every
 *    2 s) and the driver's peak RSS; neither may grow with the number of jobs stored (judged on p50 and RSS);
 *  - with 100,000 stored: closed-loop throughput side by side with an Express hello-world route answering the same
 *    JSON body (bench/lib/express-hello.ts), each measured in turn within each round, the median of the rounds
 *    compared; target driver ≥ 0.8 × Express.
 * Usage: npx tsx bench/jobs-poll.ts
 * Env (optional): BENCH_CONNECTIONS (16), BENCH_DURATION_S (3, per throughput run), BENCH_ROUNDS (3), BENCH_RATE
 *   (1000), BENCH_PACED_S (5).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { emitBenchResult, metricsTable } from './lib/bench-result';
import { startChildServer } from './lib/child-server';
import { buildDist, startDriverProcess, type DriverProcess } from './lib/driver-process';
import { seedJobs, type SeededJob } from './lib/job-seeder';
import { median } from './lib/percentiles';
import { pollMetrics, type StoredFigures } from './lib/poll-targets';
import { formatFigure } from './lib/table';

const VNFM_ID = 'vnfm-bench';
const STORE_SIZES = [10_000, 100_000];

function envInt(name: string, fallback: number, min: number, max: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
}

const settings = {
  connections: envInt('BENCH_CONNECTIONS', 16, 1, 512),
  durationS: envInt('BENCH_DURATION_S', 3, 1, 60),
  rounds: envInt('BENCH_ROUNDS', 3, 1, 9),
  rate: envInt('BENCH_RATE', 1000, 1, 20_000),
  pacedS: envInt('BENCH_PACED_S', 5, 1, 60),
};

/** A random job with a random responseId between 0 (first poll) and its latest, as NSLCM's polls spread over time. */
function pollPath(jobs: readonly SeededJob[]): string {
  const job = jobs[Math.floor(Math.random() * jobs.length)];
  return `/api/ciscovnfmdriver/v1/${VNFM_ID}/jobs/${job.jobId}?responseId=${Math.floor(Math.random() * (job.latestResponseId + 1))}`;
}

/** One autocannon run against `port`; throws when an answer was not 2xx or a request failed. */
async function load(port: number, jobs: readonly SeededJob[], opts: Partial<autocannon.Options>): Promise<autocannon.Result> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: settings.connections,
    duration: settings.durationS,
    ...opts,
    requests: [{ setupRequest: (req) => ({ ...req, path: pollPath(jobs) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`port ${port}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result;
}

const perSecond = (r: autocannon.Result): number => r.requests.total / r.duration;

function startDriver(dir: string, storePath: string): Promise<DriverProcess> {
  return startDriverProcess(
    { PORT: '0', HOST: '127.0.0.1', STORE_PATH: storePath, LOG_LEVEL: 'info', ESC_SIMULATOR_PORT: '0' },
    join(dir, 'driver.log'),
  );
}

/** Latency at the fixed rate, after a warm-up, and the driver's peak RSS. */
async function measureStored(driver: DriverProcess, jobs: readonly SeededJob[]): Promise<StoredFigures> {
  await load(driver.port, jobs, { duration: 1 });
  const paced = await load(driver.port, jobs, { overallRate: settings.rate, duration: settings.pacedS });
  return { jobs: jobs.length, p50: paced.latency.p50, p99: paced.latency.p99, max: paced.latency.max, peakRssMb: driver.usage().peakRssMb };
}

/** Closed-loop polls/s of the driver and of the Express route, measured in turn within each round; medians. */
async function compareThroughput(
  dir: string,
  driver: DriverProcess,
  jobs: readonly SeededJob[],
): Promise<{ driver: number; express: number }> {
  const res = await fetch(`http://127.0.0.1:${driver.port}${pollPath(jobs)}`);
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, await res.text());
  const express = await startChildServer(join(__dirname, 'lib', 'express-hello.ts'), [bodyFile]);
  try {
    const rounds = { driver: [] as number[], express: [] as number[] };
    await load(express.port, jobs, { duration: 1 });
    for (let r = 0; r < settings.rounds; r++) {
      rounds.driver.push(perSecond(await load(driver.port, jobs, {})));
      rounds.express.push(perSecond(await load(express.port, jobs, {})));
    }
    process.stdout.write(
      `polls/s per round: driver ${rounds.driver.map(formatFigure).join(' / ')}; Express ${rounds.express.map(formatFigure).join(' / ')}\n`,
    );
    return { driver: median(rounds.driver), express: median(rounds.express) };
  } finally {
    await express.stop();
  }
}

async function main(): Promise<void> {
  process.stdout.write('building dist/ (npm run build) ...\n');
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'jobs-poll-bench-'));
  const storePath = join(dir, 'driver.db');
  try {
    const jobs: SeededJob[] = [];
    const stored: StoredFigures[] = [];
    let throughput = { driver: Number.NaN, express: Number.NaN };
    for (const size of STORE_SIZES) {
      const t0 = Date.now();
      jobs.push(...(await seedJobs(storePath, size - jobs.length, VNFM_ID)));
      process.stdout.write(`${jobs.length} jobs stored (seeded in ${formatFigure((Date.now() - t0) / 1000)} s)\n`);
      const driver = await startDriver(dir, storePath);
      try {
        stored.push(await measureStored(driver, jobs));
        if (size === STORE_SIZES[STORE_SIZES.length - 1]) throughput = await compareThroughput(dir, driver, jobs);
      } finally {
        await driver.stop();
      }
    }
    const metrics = pollMetrics(throughput.driver, throughput.express, stored[0], stored[1], settings.rate);
    process.stdout.write(`${metricsTable(metrics)}\n`);
    emitBenchResult({ name: 'jobs-poll', metrics });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
