/**
 * Replicas of the driver on one PostgreSQL database, soaked under faults: N concurrent lifecycles (instantiate →
 * scale out → terminate, default N = 200) through 3 replicas behind a round-robin balancer, while replicas are
 * killed (SIGKILL, started again a moment later under the same REPLICA_ID) and frozen (SIGSTOP for longer than the
 * job lease, then SIGCONT) at random, at least 10 times. The driver runs as production runs it (dist/ rebuilt, then
 * `node dist/main.js` per replica); the ESC simulator (deployments take about a second), the strict recording NSLCM
 * stub, the balancer and a private PostgreSQL server run beside it.
 * Reported: lifecycles finished, jobs lost (accepted, then unknown to the driver), jobs stuck (neither finished nor
 * in error once the run settled), jobs written by two owners (from the database), Notify messages missing,
 * duplicated and out of order (from the stub's recording; each duplicate with the kill or freeze that explains it).
 * Then the same lifecycles without faults and without ESC delays, polled every 2 s as NSLCM does, side by side: the
 * SQLite driver, and 1, 2 and 3 replicas on PostgreSQL with the shipped job lease settings, each set-up warmed up by
 * 60 lifecycles per replica: lifecycles/s and driver CPU ms per lifecycle (all replicas summed, from /proc).
 * Targets: 0 lost, 0 stuck, 0 double-owner writes, 0 missing, 0 out of order, 0 unexplained duplicates;
 * CPU(3 replicas) ≤ 1.3 × CPU(1 PostgreSQL replica); CPU(1 PostgreSQL replica) ≤ 2 × CPU(SQLite).
 * Usage: npx tsx bench/replicas.ts [N]   Env (optional): BENCH_REPLICAS_SEED (random; printed).
 */
import { emitBenchResult, metricsTable, type BenchMetric, type SkippedPart } from './lib/bench-result';
import { jobsWrittenByTwoOwners } from './lib/double-owner-writes';
import { buildDist } from './lib/driver-process';
import { SOAK_DELAYS, SOAK_FAULTS, SOAK_LEASE, runSoak, type SoakFigures, type SoakStore } from './lib/replica-soak';
import { baselineMetrics, baselineOf, baselineRows, faultMetrics, type BaselineFigures } from './lib/replica-targets';
import { formatFigure } from './lib/table';
import { startPostgresCluster, type PostgresCluster } from '../test/support/postgres-cluster';

/**
 * Lifecycles per replica run before each run without faults, not counted: each replica compiles the same code, so
 * with a fixed warm-up shared by the replicas, 3 replicas would each measure their first, unoptimised lifecycles and
 * the comparison would charge V8's compiler to coordination (as the lifecycle bench found: about 30 % of a fresh
 * driver's CPU with a short warm-up). Each replica gets as many as the lifecycle bench gives its driver (1,000), for the
 * same reason: a replica sees only its share of the requests, so its code gets hot later. Measured (3-to-1 CPU ratio):
 * 60 per replica, 1.18 with one replica at 43 ms per lifecycle, much of it compiling; 300, 1.56 (30 and 47 ms:
 * the three replicas were still compiling); 1,000, 1.12 (34 and 38 ms).
 */
const WARM_UP_PER_REPLICA = 1000;
/** NSLCM's pause between two polls of one job (docs/nslcm-contract.md §4 "Job polling"). */
const NSLCM_POLL_MS = 2000;

/** The human-readable lines of a soak with faults. */
function describeFaultRun(f: SoakFigures): string {
  const kinds = (k: string): number => f.faultEvents.filter((e) => e.kind === k).length;
  return [
    `seed ${f.seed}: ${f.faultsInjected} faults (${kinds('kill')} kills, ${kinds('freeze')} freezes) over ${formatFigure(f.seconds)} s`,
    `${f.lifecyclesFinished} of ${f.lifecycles} lifecycles finished; ${f.jobsStarted} jobs started, ${f.jobsLost.length} lost, ${f.jobsStuck.length} stuck`,
    `Notify: ${f.notify.accepted} accepted, ${f.notify.expected} expected, ${f.notify.missing.length} missing, ` +
      `${f.notify.duplicates.length} duplicated, ${f.notify.outOfOrder.length} VNFs out of order, ${f.notify.unrelated.length} unrelated`,
    ...f.notify.duplicates.map(
      (d) => `  duplicate ${d.status} of job ${d.jobId}: ${d.explanation ?? 'NOT EXPLAINED by any kill or freeze'}`,
    ),
    ...f.jobsLost.slice(0, 5).map((j) => `  lost: ${j}`),
    ...f.jobsStuck.slice(0, 5).map((j) => `  stuck: ${j}`),
    ...f.notify.missing.slice(0, 5).map((m) => `  missing Notify: ${m}`),
    ...f.failures.slice(0, 5).map((m) => `  failed: ${m}`),
    ...(Object.keys(f.gatewayErrors).length > 0 ? [`  balancer answered itself: ${JSON.stringify(f.gatewayErrors)}`] : []),
  ].join('\n');
}

/**
 * A soak without faults, ESC answering at once and NSLCM polling every 2 s as it does: the CPU per lifecycle is what
 * a lifecycle costs at NSLCM's pace (with faster polls, a slower store would be charged for the extra polls its
 * slowness draws), and lifecycles/s shows whether each set-up keeps up with it.
 */
async function baseline(
  label: string,
  n: number,
  replicas: number,
  store: SoakStore,
  env: Record<string, string>,
): Promise<BaselineFigures> {
  const f = await runSoak({ lifecycles: n, replicas, store, env, warmUp: WARM_UP_PER_REPLICA * replicas, pollMs: NSLCM_POLL_MS });
  const b = baselineOf(label, f);
  process.stdout.write(
    `${label}: ${f.lifecyclesFinished} of ${n} finished in ${formatFigure(f.seconds)} s, ` +
      `${formatFigure(b.lifecyclesPerSecond)} lifecycles/s, ${formatFigure(b.cpuMsPerLifecycle)} ms driver CPU per lifecycle\n`,
  );
  return b;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  if (!Number.isInteger(n) || n < 1 || n > 2000) throw new Error(`N must be an integer in [1, 2000], got ${process.argv[2]}`);
  const seed = process.env.BENCH_REPLICAS_SEED === undefined ? undefined : Number(process.env.BENCH_REPLICAS_SEED);
  process.stdout.write('building dist/ (npm run build) ...\n');
  buildDist();
  const metrics: BenchMetric[] = [];
  const skippedParts: SkippedPart[] = [];
  let cluster: PostgresCluster | undefined;
  try {
    cluster = await startPostgresCluster();
  } catch (err) {
    skippedParts.push({ part: 'PostgreSQL replicas', reason: (err as Error).message.split('\n')[0] });
  }
  try {
    process.stdout.write('\n== runs without faults\n');
    const sqlite = await baseline('SQLite', n, 1, { kind: 'sqlite' }, {});
    if (cluster) {
      const pg = [];
      for (const replicas of [1, 2, 3]) {
        const url = await cluster.createDatabase(`baseline_${replicas}`);
        // The job lease as shipped (LEASE_TTL_MS, LEASE_RENEW_MS defaults): the cost of coordination an operator runs;
        // the short lease of the run with faults only makes its takeovers quick.
        pg.push(await baseline(`PostgreSQL × ${replicas}`, n, replicas, { kind: 'postgresql', url }, {}));
      }
      metrics.push(...baselineMetrics(sqlite, pg as [BaselineFigures, BaselineFigures, BaselineFigures]));

      process.stdout.write(`\n== ${n} lifecycles through 3 replicas, with faults\n`);
      const url = await cluster.createDatabase('soak');
      const figures = await runSoak({
        lifecycles: n,
        replicas: 3,
        store: { kind: 'postgresql', url },
        env: SOAK_LEASE,
        seed,
        delays: SOAK_DELAYS,
        faults: SOAK_FAULTS,
      });
      const twoOwners = await jobsWrittenByTwoOwners(url);
      process.stdout.write(`${describeFaultRun(figures)}\n`);
      process.stdout.write(
        `jobs written by two owners (job history fences): ${twoOwners.length}${twoOwners.length > 0 ? `: ${twoOwners.join(', ')}` : ''}\n`,
      );
      metrics.push(...faultMetrics(figures, twoOwners.length));
    } else {
      metrics.push(...baselineRows(sqlite));
    }
  } finally {
    await cluster?.stop();
  }
  process.stdout.write(`\n${metricsTable(metrics)}\n`);
  emitBenchResult({ name: 'replicas', metrics, ...(skippedParts.length > 0 ? { skippedParts } : {}) });
}

main().catch((err: Error) => {
  process.stderr.write(`replicas bench failed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
