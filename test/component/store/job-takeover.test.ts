import type { DriverStore } from '../../../src/jobs/job-store';
import { LifecycleService } from '../../../src/lifecycle/lifecycle-service';
import type { InstantiateVnfRequest } from '../../../src/lifecycle/requests';
import type { OperationContext, Southbound } from '../../../src/lifecycle/southbound';
import { PostgresDriverStore } from '../../../src/store/postgres/postgres-driver-store';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';
import { recordingLog, type Logged } from '../../support/recording-log';
import { waitFor } from '../../support/waiting';

const DEADLINES = { instantiate: 600, terminate: 600, scale: 600, heal: 600, operate: 600 };
const LEASE = { leaseTtlMs: 800, renewEveryMs: 150 };

/**
 * A southbound whose first run reports a step, checkpoints and then waits for `release()` before reporting another
 * step; a resumed run reports what it resumed from and finishes.
 */
function gatedSouthbound(): Southbound & { release(): void; firstRunEnded: Promise<void> } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let ended!: () => void;
  const firstRunEnded = new Promise<void>((resolve) => (ended = resolve));
  const run = async (ctx: OperationContext<unknown>): Promise<void> => {
    if (ctx.resumed) {
      await ctx.job.progress(60, `resumed from ${JSON.stringify(ctx.job.state)}`);
      return;
    }
    try {
      await ctx.job.progress(10, 'deployment sent');
      await ctx.job.checkpoint({ deployment: 'dep-1' });
      await gate;
      await ctx.job.progress(50, 'late step of the first run');
    } finally {
      ended();
    }
  };
  const unused = (): Promise<void> => Promise.reject(new Error('not used here'));
  return {
    instantiate: run,
    terminate: unused,
    scale: unused,
    heal: unused,
    operate: unused,
    query: () => Promise.reject(new Error('not used here')),
    release,
    firstRunEnded,
  };
}

const instantiateRequest = {
  vnfInstanceName: 'v',
  vnfDescriptorId: 'd',
  vnfPackageId: 'p',
  additionalParam: {},
} as unknown as InstantiateVnfRequest;

describe('a job taken over by another replica (PostgreSQL)', () => {
  let cluster: PostgresCluster;
  let databases = 0;
  const opened: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.stop();
  });
  afterAll(() => cluster?.stop());

  async function replica(
    url: string,
    replicaId: string,
    southbound: Southbound,
    lines: Logged[],
    adapt: (store: DriverStore) => DriverStore = (s) => s,
  ): Promise<{ lifecycle: LifecycleService; store: DriverStore }> {
    const store = await PostgresDriverStore.open(url);
    const lifecycle = new LifecycleService({
      store: adapt(store),
      southbound,
      log: recordingLog(lines),
      deadlines: DEADLINES,
      ownership: { replicaId, ...LEASE },
    });
    await lifecycle.resumeUnfinished();
    opened.push({ stop: () => lifecycle.stop(2_000).then(() => store.close()) });
    return { lifecycle, store };
  }

  /** The store as a replica sees it whose lease renewals never reach the database (frozen connection, partition). */
  const renewalsHang = (store: DriverStore): DriverStore =>
    Object.assign(Object.create(store) as DriverStore, { renewLeases: () => new Promise<string[]>(() => undefined) });

  /** The store as a replica sees it that believes its renewals of `held` succeed while they never reach the database. */
  const renewalsLie =
    (held: string[]) =>
    (store: DriverStore): DriverStore =>
      Object.assign(Object.create(store) as DriverStore, { renewLeases: () => Promise.resolve([...held]) });

  it('when a replica cannot renew its leases, then it stops its job without writing and another replica resumes it from the checkpoint', async () => {
    const url = await cluster.createDatabase(`takeover_${++databases}`);
    const linesA: Logged[] = [];
    const southA = gatedSouthbound();
    const a = await replica(url, 'replica-a', southA, linesA, renewalsHang);
    const b = await replica(url, 'replica-b', gatedSouthbound(), []);

    const accepted = await a.lifecycle.instantiate({ vnfmId: 'm', requestId: 'req-1' }, instantiateRequest);
    accepted.launch();
    await waitFor(async () => (await a.store.getJob(accepted.jobId))?.state?.deployment === 'dep-1');

    await waitFor(async () => (await b.store.getJob(accepted.jobId))?.latest.status === 'finished', 10_000);
    southA.release();

    const history = await b.store.history(accepted.jobId);
    expect(history.map((e) => [e.status, e.statusDescription])).toEqual([
      ['started', 'instantiate accepted'],
      ['processing', 'deployment sent'],
      ['processing', 'resumed from {"deployment":"dep-1"}'],
      ['finished', 'instantiate finished'],
    ]);
    expect((await b.store.getJob(accepted.jobId))?.fence).toEqual({ replicaId: 'replica-b', epoch: 2 });
    expect(linesA.some((l) => l.message === 'job stopped here: this replica no longer owns it')).toBe(true);
  }, 30_000);

  it('when a replica that lost its job writes late, then the write is fenced and its run stops', async () => {
    const url = await cluster.createDatabase(`takeover_${++databases}`);
    const linesA: Logged[] = [];
    const southA = gatedSouthbound();
    const held: string[] = [];
    const a = await replica(url, 'replica-a', southA, linesA, renewalsLie(held));
    const southB = gatedSouthbound();
    const b = await replica(url, 'replica-b', southB, []);

    const accepted = await a.lifecycle.instantiate({ vnfmId: 'm', requestId: 'req-1' }, instantiateRequest);
    held.push(accepted.jobId);
    accepted.launch();
    await waitFor(async () => (await a.store.getJob(accepted.jobId))?.state?.deployment === 'dep-1');
    await waitFor(async () => (await b.store.getJob(accepted.jobId))?.latest.status === 'finished', 10_000);

    southA.release();
    await southA.firstRunEnded;
    await waitFor(() => linesA.some((l) => l.message === 'job run ended without writing: another replica owns the job now'));

    const history = await b.store.history(accepted.jobId);
    expect(history.map((e) => e.statusDescription)).not.toContain('late step of the first run');
    expect(history[history.length - 1]).toMatchObject({ status: 'finished', responseId: 4 });
    const fenced = linesA.find((l) => l.message === 'job run ended without writing: another replica owns the job now');
    expect(String(fenced?.meta?.error)).toMatch(/owned by replica-b at epoch \d+; the write of replica-a at epoch \d+ is refused/);
  }, 30_000);
});
