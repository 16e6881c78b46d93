import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type SimulatorDelays } from '../../src/simulator';
import {
  ESC_USER,
  FW_LB_PACKAGE,
  STUB_VIM_CONNECTOR,
  VNFM_ID,
  buildFwLbInstantiate,
  fwLbVnfdModel,
  pinSimulatorKey,
} from '../../test/component/lifecycle/esc-service-harness';
import { buildVnfPackage, seedDefaults, startNslcmStub, type NslcmStub } from '../../test/support/nslcm-stub';
import { injectFaults, seededRandom, type FaultPlan } from './fault-injector';
import { accountNotifies, type AcceptedNotify, type NotifyAccount, type StartedJob } from './notify-ledger';
import { NslcmPoller } from './nslcm-poller';
import { ReplicaBalancer } from './replica-balancer';
import { ReplicaFleet } from './replica-fleet';

/** Where the replicas keep their jobs: the embedded SQLite file (one replica only) or a shared database URL. */
export type SoakStore = { kind: 'sqlite' } | { kind: 'postgresql'; url: string };

/** Options of {@link runSoak}. Times in ms. */
export interface SoakOptions {
  /** Concurrent lifecycles (instantiate → scale out → terminate). */
  lifecycles: number;
  replicas: number;
  store: SoakStore;
  /** Faults to inject while the lifecycles run; none when omitted. */
  faults?: Omit<FaultPlan, 'random' | 'until'>;
  /** Seed of the fault plan's randomness (printed, so that a run can be repeated). */
  seed?: number;
  /** Settings given to every replica on top of the soak's own (job lease and renewal, reconciliation, …). */
  env?: Record<string, string>;
  /** ESC's step delays (how long a deployment takes). */
  delays?: Partial<SimulatorDelays>;
  /**
   * Lifecycles run before the measured ones, 20 at a time, and not counted (a driver in service has its code
   * compiled and its ESC sessions open, which the first lifecycles of a fresh process pay for); default none.
   */
  warmUp?: number;
  /** NSLCM's pause between two polls of one job. */
  pollMs?: number;
  /** Bound of each operation, from its POST to its final status. */
  operationTimeoutMs?: number;
  /** Bound of the wait for the Notify messages still owed once the lifecycles ended. */
  settleMs?: number;
  /** Called with each replica's whole log before the run's files are removed (tests read them). */
  onLogs?: (logs: Record<string, string>) => void;
}

/** What a soak measured. */
export interface SoakFigures {
  lifecycles: number;
  replicas: number;
  store: SoakStore['kind'];
  seed: number;
  faultsInjected: number;
  faultEvents: ReplicaFleet['events'];
  seconds: number;
  lifecyclesFinished: number;
  /** Why the lifecycles that did not finish failed, one message each. */
  failures: string[];
  jobsStarted: number;
  /** Jobs a POST accepted that the driver no longer knows (its poll answers 404 once the run settled). */
  jobsLost: string[];
  /** Jobs known but not finished nor in error once the run settled. */
  jobsStuck: string[];
  notify: NotifyAccount;
  /** CPU time of every replica incarnation from the first measured lifecycle on, summed, ms. */
  driverCpuMs: number;
  /** Requests the balancer answered itself (no replica took them), by reason. */
  gatewayErrors: Record<string, number>;
}

const BASE = `/api/ciscovnfmdriver/v1/${VNFM_ID}`;

/** Warm-up lifecycles run together (through the balancer, so every replica gets its share). */
const WARM_UP_BATCH = 20;

/** Job leases of 2 s renewed every 0.5 s: a replica that dies or freezes has its jobs taken over within seconds. */
export const SOAK_LEASE: Record<string, string> = { LEASE_TTL_MS: '2000', LEASE_RENEW_MS: '500' };

/** ESC takes about a second per deployment step, so that faults land in the middle of operations. */
export const SOAK_DELAYS: Partial<SimulatorDelays> = {
  tenant: 100,
  network: 100,
  vmDeployed: 500,
  vmAlive: 500,
  vmUndeployed: 300,
  service: 50,
};

/** At least 10 faults, one every 1.5–4 s, half kills, half freezes; a freeze outlasts the lease more than twice. */
export const SOAK_FAULTS: NonNullable<SoakOptions['faults']> = {
  minFaults: 10,
  maxFaults: 40,
  gapMs: [1500, 4000],
  freezeMs: 5000,
  downMs: 1000,
  killShare: 0.5,
};

/**
 * Runs `lifecycles` concurrent lifecycles through `replicas` replicas of the built driver (`node dist/main.js`), the
 * ESC simulator with the given delays, the strict recording NSLCM stub, and a round-robin balancer in front of the
 * replicas, injecting the faults of `faults` meanwhile. Once the lifecycles ended it heals the fleet, waits for the
 * Notify messages still owed, asks the driver for every job it accepted, and accounts for NSLCM's Notify messages.
 */
export async function runSoak(opts: SoakOptions): Promise<SoakFigures> {
  if (opts.store.kind === 'sqlite' && opts.replicas !== 1) throw new Error('the SQLite store takes one replica');
  const dir = mkdtempSync(join(tmpdir(), 'replica-soak-'));
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const sim = await startSimulator({ port: 0, users: [ESC_USER], vimConnectors: [STUB_VIM_CONNECTOR], delays: opts.delays });
  const stub = await startNslcmStub();
  seedDefaults(stub, { host: sim.host, port: sim.port });
  stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
  const balancer = await ReplicaBalancer.start();
  const fleet = new ReplicaFleet({
    count: opts.replicas,
    dir,
    balancer,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      MSB_URL: stub.url,
      LOG_LEVEL: 'info',
      ESC_KNOWN_HOSTS: pinSimulatorKey(dir, sim),
      ESC_STRICT_HOST_KEY_CHECKING: 'yes',
      ...(opts.store.kind === 'sqlite' ? { STORE_PATH: join(dir, 'driver.db') } : { STORE_URL: opts.store.url }),
      ...opts.env,
    },
  });
  const poller = new NslcmPoller(balancer.url);
  try {
    await fleet.start();
    const pollMs = opts.pollMs ?? 1000;
    const timeoutMs = opts.operationTimeoutMs ?? 120_000;
    const warmUp = opts.warmUp ?? 0;
    for (let first = 0; first < warmUp; first += WARM_UP_BATCH) {
      const batch = Array.from({ length: Math.min(WARM_UP_BATCH, warmUp - first) }, (_, i) => opts.lifecycles + first + i);
      await Promise.all(batch.map((index) => oneLifecycle(poller, index, [], 10, timeoutMs)));
    }
    stub.calls.splice(0);
    const jobs: StartedJob[] = [];
    const cpuAtStart = fleet.cpuMs();
    const t0 = performance.now();
    let ended = false;
    const faulting = opts.faults
      ? injectFaults(fleet, { ...opts.faults, random: seededRandom(seed), until: () => ended })
      : Promise.resolve(0);
    const outcomes = await Promise.allSettled(
      Array.from({ length: opts.lifecycles }, (_, i) => oneLifecycle(poller, i, jobs, pollMs, timeoutMs)),
    );
    const seconds = (performance.now() - t0) / 1000;
    const driverCpuMs = fleet.cpuMs() - cpuAtStart;
    ended = true;
    const faultsInjected = await faulting;
    await fleet.heal();
    await settle(stub, jobs, fleet, opts.settleMs ?? 30_000);
    const { lost, stuck } = await jobStates(poller, jobs);
    return {
      lifecycles: opts.lifecycles,
      replicas: opts.replicas,
      store: opts.store.kind,
      seed,
      faultsInjected,
      faultEvents: fleet.events,
      seconds,
      lifecyclesFinished: outcomes.filter((o) => o.status === 'fulfilled').length,
      failures: outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : [])),
      jobsStarted: jobs.length,
      jobsLost: lost,
      jobsStuck: stuck,
      notify: checkedAgainstLogs(accountNotifies(jobs, acceptedNotifies(stub), fleet.events), fleet),
      driverCpuMs,
      gatewayErrors: Object.fromEntries(balancer.gatewayErrors),
    };
  } finally {
    await poller.close();
    await fleet.stop();
    opts.onLogs?.(Object.fromEntries(fleet.replicas.map((r) => [r.id, fleet.logOf(r.id)])));
    await balancer.stop();
    await stub.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Instantiate, scale out by one step, terminate, as NSLCM drives them; each job is recorded once its POST is answered. */
async function oneLifecycle(poller: NslcmPoller, index: number, jobs: StartedJob[], pollMs: number, timeoutMs: number): Promise<void> {
  const run = async (path: string, body: unknown, what: string, vnfInstanceId?: string): Promise<string | undefined> => {
    const job: Partial<StartedJob> = { vnfInstanceId };
    const outcome = await poller.runOperation(`${BASE}${path}`, body, `${BASE}/jobs`, pollMs, timeoutMs, (jobId, vnf) => {
      job.jobId = jobId;
      job.vnfInstanceId ??= vnf;
      jobs.push(job as StartedJob);
    });
    job.outcome = outcome.last.status === 'finished' ? 'finished' : 'error';
    if (job.outcome !== 'finished') throw new Error(`${what} of lifecycle ${index}: ${outcome.last.statusDescription}`);
    return outcome.vnfInstanceId;
  };
  const vnf = await run('/vnfs', buildFwLbInstantiate({ vnfInstanceName: `soak_${index}` }), 'instantiate');
  if (vnf === undefined) throw new Error(`instantiate of lifecycle ${index} answered without a vnfInstanceId`);
  await run(`/vnfs/${vnf}/scale`, { type: 'SCALE_OUT', aspectId: 'fw_scale', numberOfSteps: '1', additionalParam: {} }, 'scale out', vnf);
  await run(`/vnfs/${vnf}/terminate`, { terminationType: 'FORCEFUL', gracefulTerminationTimeout: 0 }, 'terminate', vnf);
}

/** The Notify messages NSLCM accepted, in arrival order. */
function acceptedNotifies(stub: NslcmStub): AcceptedNotify[] {
  return stub.calls
    .filter((c) => c.path.endsWith('/Notify') && c.status === 201)
    .map((c) => {
      const body = c.body as { jobId?: string; status: string; operation: string };
      return { vnfInstanceId: c.path.split('/').at(-2) ?? '', jobId: body.jobId, status: body.status, operation: body.operation, at: c.at };
    });
}

/**
 * A duplicate explained by a kill or freeze holds only if at most one replica recorded the delivery ("Notify
 * delivered" in its log is written once the delivery is stored): two records mean a replica sent a message another
 * had already sent and recorded, which no fault explains.
 */
function checkedAgainstLogs(account: NotifyAccount, fleet: ReplicaFleet): NotifyAccount {
  if (account.duplicates.length === 0) return account;
  const recorded = fleet.replicas.flatMap((r) =>
    fleet
      .logOf(r.id)
      .split('\n')
      .filter((line) => line.includes('"Notify delivered"'))
      .map((line) => JSON.parse(line) as { jobId?: string; status?: string }),
  );
  const duplicates = account.duplicates.map((d) => {
    const records = recorded.filter((r) => r.jobId === d.jobId && r.status === d.status).length;
    return records > 1 ? { ...d, explanation: undefined, records } : { ...d, records };
  });
  return { ...account, duplicates };
}

/** Waits until no Notify is owed any more (or `maxMs`): what a replica killed mid-delivery left is sent by another. */
async function settle(stub: NslcmStub, jobs: readonly StartedJob[], fleet: ReplicaFleet, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until && accountNotifies(jobs, acceptedNotifies(stub), fleet.events).missing.length > 0) {
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Asks the driver for every job the run started: unknown (404) ones are lost, unfinished ones stuck. */
async function jobStates(poller: NslcmPoller, jobs: readonly StartedJob[]): Promise<{ lost: string[]; stuck: string[] }> {
  const lost: string[] = [];
  const stuck: string[] = [];
  for (const job of jobs) {
    const status = await poller.jobStatus(`${BASE}/jobs/${job.jobId}`);
    if (status === undefined) lost.push(job.jobId);
    else if (status !== 'finished' && status !== 'error') stuck.push(`${job.jobId} (${status})`);
  }
  return { lost, stuck };
}
