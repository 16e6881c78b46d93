import type { Job } from '../../../src/jobs/job-model';
import type { ClaimOptions } from '../../../src/jobs/job-store';
import { JobOwnership, type OwnedJobs } from '../../../src/lifecycle/job-ownership';
import { silentLog } from '../../../src/logging/log';

const job = (jobId: string): Job => ({
  jobId,
  operation: 'instantiate',
  vnfInstanceId: `vnf-${jobId}`,
  vnfmId: 'm',
  request: {},
  requestId: 'r',
  latest: { responseId: 1, status: 'started', progress: 0, statusDescription: 'accepted', errorCode: null, at: 't' },
  createdAt: 't',
  fence: { replicaId: 'me', epoch: 2 },
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A store whose answers the test sets, recording the calls; and the jobs "running" here. */
function rig() {
  const calls: string[] = [];
  const claims: Array<{ limit: number; options?: ClaimOptions }> = [];
  let renew: () => Promise<string[]> = () => Promise.resolve([]);
  const orphans: Job[][] = [];
  const store = {
    renewLeases: (replicaId: string, leaseMs: number, jobIds?: readonly string[]) => {
      calls.push(`renew ${replicaId} ${leaseMs} [${(jobIds ?? ['(all)']).join(',')}]`);
      return renew();
    },
    claimOrphans: (_replicaId: string, _leaseMs: number, limit: number, options?: ClaimOptions) => {
      claims.push({ limit, options });
      return Promise.resolve(orphans.shift() ?? []);
    },
  };
  const running = new Set<string>();
  const resumed: string[] = [];
  const abandoned: Array<{ ids: string[]; reason: string }> = [];
  const jobs: OwnedJobs = {
    running: () => [...running],
    resume: (list) => list.forEach((j) => (resumed.push(j.jobId), running.add(j.jobId))),
    abandon: (ids, reason) => {
      abandoned.push({ ids, reason });
      ids.forEach((id) => running.delete(id));
    },
  };
  return { store, jobs, calls, claims, orphans, running, resumed, abandoned, setRenew: (r: () => Promise<string[]>) => (renew = r) };
}

describe('JobOwnership', () => {
  let ownership: JobOwnership | undefined;
  afterEach(() => ownership?.stop());

  it('when it starts, then it claims orphans (its own jobs included) until a claim comes back short, and resumes them', async () => {
    const r = rig();
    r.orphans.push([job('a'), job('b')], [job('c')]);
    ownership = new JobOwnership(r.store, r.jobs, { replicaId: 'me', leaseTtlMs: 1_000, renewEveryMs: 100, claimLimit: 2 }, silentLog);

    expect(await ownership.start()).toBe(3);
    expect(r.resumed).toEqual(['a', 'b', 'c']);
    expect(r.claims).toEqual([
      { limit: 2, options: { adoptOwn: true } },
      { limit: 2, options: { adoptOwn: true } },
    ]);
  });

  it('when the process stalled for a whole lease since its last renewal, then its jobs stop before the next renewal is even sent', async () => {
    const r = rig();
    ownership = new JobOwnership(r.store, r.jobs, { replicaId: 'me', leaseTtlMs: 300, renewEveryMs: 50 }, silentLog);
    await ownership.start();
    r.running.add('a').add('b');
    r.setRenew(() => Promise.resolve([...r.running]));
    await sleep(80);
    const renewalsBefore = r.calls.length;

    const until = Date.now() + 400;
    while (Date.now() < until); // the event loop stalls, as a frozen or starved process
    await sleep(30);

    expect(r.abandoned.map((a) => a.ids)).toEqual([['a', 'b']]);
    expect(r.abandoned[0].reason).toMatch(/^lease ran out here: last renewal sent \d+ ms ago \(TTL 300 ms\)$/);
    expect(r.calls[renewalsBefore]).toBe('renew me 300 []');
  });

  it('when a renewal no longer names a job running here, then that job is abandoned; orphans found meanwhile are resumed', async () => {
    const r = rig();
    ownership = new JobOwnership(r.store, r.jobs, { replicaId: 'me', leaseTtlMs: 1_000, renewEveryMs: 50 }, silentLog);
    await ownership.start();
    r.running.add('kept').add('lost');
    r.setRenew(() => Promise.resolve([...r.running].filter((id) => id !== 'lost')));
    r.orphans.push([job('taken-over')]);

    await sleep(130);

    expect(r.calls[0]).toBe('renew me 1000 [kept,lost]');
    expect(r.calls.at(-1)).toBe('renew me 1000 [kept,taken-over]');
    expect(r.abandoned).toEqual([{ ids: ['lost'], reason: 'another replica owns the job now' }]);
    expect(r.resumed).toEqual(['taken-over']);
    expect(r.claims.at(-1)).toEqual({ limit: 20, options: { exclude: ['kept', 'taken-over'] } });
  });

  it('when renewals fail for less than a lease, then nothing is stopped; once a whole lease passed without one, every job here is', async () => {
    const r = rig();
    ownership = new JobOwnership(r.store, r.jobs, { replicaId: 'me', leaseTtlMs: 300, renewEveryMs: 50 }, silentLog);
    await ownership.start();
    r.running.add('a').add('b');
    r.setRenew(() => Promise.reject(new Error('connection refused')));

    await sleep(150);
    expect(r.abandoned).toEqual([]);
    await sleep(300);
    expect(r.abandoned).toHaveLength(1);
    expect(r.abandoned[0].ids).toEqual(['a', 'b']);
    // Stopped by the failed renewal, or by the next pass seeing a whole lease gone since the last renewal sent.
    expect(r.abandoned[0].reason).toMatch(
      /(leases not renewed for \d+ ms|lease ran out here: last renewal sent \d+ ms ago) \(TTL 300 ms\)/,
    );
    // No claims while the leases cannot be renewed.
    expect(r.claims).toHaveLength(1);
  });

  it('when a renewal hangs, then it counts as failed once the lease is over, and the jobs here are stopped', async () => {
    const r = rig();
    ownership = new JobOwnership(r.store, r.jobs, { replicaId: 'me', leaseTtlMs: 200, renewEveryMs: 50 }, silentLog);
    await ownership.start();
    r.running.add('a');
    r.setRenew(() => new Promise<string[]>(() => undefined));

    await sleep(400);

    expect(r.abandoned.map((a) => a.ids)).toEqual([['a']]);
  });

  it('when stopped, then no pass runs any more', async () => {
    const r = rig();
    ownership = new JobOwnership(r.store, r.jobs, { replicaId: 'me', leaseTtlMs: 1_000, renewEveryMs: 30 }, silentLog);
    await ownership.start();
    await sleep(80);
    await ownership.stop();
    const count = r.calls.length;
    expect(count).toBeGreaterThan(0);
    await sleep(100);
    expect(r.calls).toHaveLength(count);
  });
});
