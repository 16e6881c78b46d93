import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceConfig } from '../../../src/config/config-schema';
import type { DriverStore } from '../../../src/jobs/job-store';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { silentLog, type Log } from '../../../src/logging/log';
import type { SecretRegistry } from '../../../src/logging/secret-registry';
import type { NotifyOutboxStore } from '../../../src/nslcm/notify-outbox';
import { SqliteNotifyOutboxStore } from '../../../src/nslcm/notify-outbox-store';
import type { Metrics } from '../../../src/metrics';
import type { NotifyBody } from '../../../src/nslcm/nslcm-types';
import { startService, type RunningService } from '../../../src/main';
import {
  startSimulator,
  type FaultRule,
  type RunningSimulator,
  type SimulatorDelays,
  type SimulatorVimConnector,
} from '../../../src/simulator';
import { knownHostsName } from '../../../src/netconf/known-hosts';
import type { Rule } from '../../../src/rules/rule-model';
import type { VesPublisher } from '../../../src/ves/ves-port';
import { createEscDriver, type EscDriver, type EscDriverTuning } from '../../../src/wiring/esc-driver';
import { outboxStoreFor, reconcileLockFor } from '../../../src/wiring/store-setup';
import { buildVnfPackage, seedDefaults, startNslcmStub, type NslcmStub } from '../../support/nslcm-stub';
import { getJson, postJson, waitFor } from '../../support/http-service';

/** The VNFM id the stub knows (seedDefaults) and the package of the two-VDU VNFD. */
export const VNFM_ID = 'vnfm-esc-1';
export const FW_LB_PACKAGE = 'csar-fw-lb';
/** ESC login the simulator accepts and the stub's VNFM record names. */
export const ESC_USER = { username: 'admin', password: 'esc-secret-pw' };

/** The two-VDU VNFD (scalable vdu_fw 1..4, starts with 2 fw + 1 lb) as the catalog holds it. */
export function fwLbVnfdModel(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/esc/vnfd-two-vdus.json'), 'utf8')) as Record<string, unknown>;
}

/** An instantiate body as NSLCM sends it, for the two-VDU package. */
export function buildFwLbInstantiate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const vim = { cloud_owner: 'CloudOwner', cloud_regionid: 'RegionOne' };
  return {
    vnfInstanceName: 'fw_lb_1',
    vnfPackageId: FW_LB_PACKAGE,
    vnfDescriptorId: 'fw-lb-1.0',
    flavourId: 'default',
    extVirtualLink: ['fw_mgmt', 'lb_mgmt'].map((cpdId) => ({
      vlInstanceId: 'vl-ext-1',
      resourceId: 'ext-net',
      resourceSubnetId: 'ext-sub',
      cpdId,
      vim: { vimid: vim },
      vimConnectionId: JSON.stringify(vim),
    })),
    extCps: [],
    additionalParam: { inputs: { 'internal_vl.network': 'int-net' }, vimId: JSON.stringify(vim), properties: '{}', extVirtualLinks: [] },
    ...overrides,
  };
}

/**
 * The ESC VIM connector of the stub's VIM (seedDefaults: CloudOwner_RegionOne, tenant demo-tenant), installed
 * in the simulator with its credentials as an operator would have configured ESC.
 */
export const STUB_VIM_CONNECTOR = { id: 'CloudOwner_RegionOne', projects: ['demo-tenant'] };

/** Writes a known_hosts file pinning the simulator's host key; returns its path. */
export function pinSimulatorKey(dir: string, sim: RunningSimulator): string {
  const file = path.join(dir, 'known_hosts');
  fs.writeFileSync(file, `${knownHostsName(sim.host, sim.port)} ${sim.hostPublicKey}\n`);
  return file;
}

/** Options of {@link startEscRig}. */
export interface EscRigOptions {
  delays?: Partial<SimulatorDelays>;
  faults?: FaultRule[];
  config?: Partial<ServiceConfig>;
  tuning?: EscDriverTuning;
  log?: Log;
  /** Registry shared by the service and the ESC driver (default: the service's own, not given to the driver). */
  metrics?: Metrics;
  /** VIM connectors the simulated ESC was installed with (default: {@link STUB_VIM_CONNECTOR}). */
  vimConnectors?: SimulatorVimConnector[];
  /** MSB_URL made from the stub's URL (default: the stub's URL as it is). */
  msbUrl?: (stubUrl: string) => string;
  /** The secret registry the service and `log` share (default: the service's own). */
  secrets?: SecretRegistry;
  /** The login the simulator accepts and the stub's VNFM record names (default {@link ESC_USER}). */
  escUser?: { username: string; password: string };
  /** Wraps the service's SQLite stores (the driver store and the Notify outbox's) in what the test wants to put in front. */
  wrapStores?: {
    driver: (store: SqliteDriverStore) => DriverStore;
    outbox: (store: SqliteNotifyOutboxStore) => NotifyOutboxStore;
  };
  /** The rules (default: the bundled default rules) and where their VES events go (default: VES off). */
  rules?: Rule[];
  vesPublisher?: VesPublisher;
}

/** Simulator + strict NSLCM stub + the real service wired with the ESC driver. */
export interface EscRig {
  sim: RunningSimulator;
  stub: NslcmStub;
  svc: RunningService;
  driver: EscDriver;
  /** `{url}/api/ciscovnfmdriver/v1/{vnfmId}`. */
  base: string;
  dir: string;
  /** Config used, so that a test can start a second service on the same store. */
  config: Partial<ServiceConfig>;
  stop(): Promise<void>;
}

/** Fast runtime tuning for tests: 1 s opdata re-check, 50 ms reconnects, 100 ms Notify retries. */
export const FAST_TUNING: EscDriverTuning = {
  runtime: { recheckIntervalMs: 1000 },
  reconnectInitialMs: 50,
  reconnectMaxMs: 500,
  outbox: { initialBackoffMs: 100, maxBackoffMs: 1000, idlePollMs: 500, stopTimeoutMs: 1000 },
};

/** Starts everything on 127.0.0.1, port 0, in a fresh temporary directory. */
export async function startEscRig(opts: EscRigOptions = {}): Promise<EscRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esc-rig-'));
  const escUser = opts.escUser ?? ESC_USER;
  const sim = await startSimulator({
    port: 0,
    users: [escUser],
    delays: opts.delays,
    faults: opts.faults,
    vimConnectors: opts.vimConnectors ?? [STUB_VIM_CONNECTOR],
  });
  const stub = await startNslcmStub();
  seedDefaults(stub, { host: sim.host, port: sim.port });
  const vnfm = stub.vnfms.get(VNFM_ID)!;
  stub.vnfms.set(VNFM_ID, { ...vnfm, userName: escUser.username, password: escUser.password });
  stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
  const config: Partial<ServiceConfig> = {
    port: 0,
    host: '127.0.0.1',
    storePath: path.join(dir, 'driver.db'),
    msbUrl: opts.msbUrl?.(stub.url) ?? stub.url,
    shutdownTimeoutMs: 2000,
    escKnownHosts: pinSimulatorKey(dir, sim),
    escStrictHostKeyChecking: 'yes',
    escConnectTimeoutMs: 5000,
    escRpcTimeoutMs: 5000,
    httpTimeoutMs: 2000,
    ...opts.config,
  };
  const { svc, driver } = await startDriverService(config, opts);
  const rig: EscRig = {
    sim,
    stub,
    svc,
    driver,
    base: `${svc.url}/api/${svc.config.vnfmType}/v1/${VNFM_ID}`,
    dir,
    config,
    stop: async () => {
      await rig.svc.stop();
      await stub.stop();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** The service with the ESC driver on `config` (the rig's store, simulator and stub). */
async function startDriverService(
  config: Partial<ServiceConfig>,
  opts: Pick<EscRigOptions, 'log' | 'metrics' | 'tuning' | 'secrets' | 'wrapStores' | 'rules' | 'vesPublisher'>,
): Promise<{ svc: RunningService; driver: EscDriver }> {
  let driver: EscDriver | undefined;
  const sqlite = opts.wrapStores ? SqliteDriverStore.open(config.storePath!) : undefined;
  const svc = await startService({
    config,
    log: opts.log ?? silentLog,
    metrics: opts.metrics,
    secrets: opts.secrets,
    store: sqlite && opts.wrapStores?.driver(sqlite),
    rules: opts.rules,
    vesPublisher: opts.vesPublisher,
    southboundFactory: async ({ config: c, store, log, metrics, secrets, events }) => {
      // The outbox in the service's store (SQLite, or PostgreSQL when the config names STORE_URL), wrapped when asked.
      const outboxStore = sqlite
        ? opts.wrapStores!.outbox(new SqliteNotifyOutboxStore(sqlite.database))
        : await outboxStoreFor(store, c.replicaId ?? 'rig');
      const reconcileLock = reconcileLockFor(store);
      const tuning = opts.tuning ?? FAST_TUNING;
      driver = createEscDriver({ config: c, store, outboxStore, reconcileLock, log, metrics, tuning, secrets, events });
      return { southbound: driver.southbound, mode: 'onap', escActions: driver.escActions };
    },
  });
  return { svc, driver: driver! };
}

/** Stops the rig's service; the returned function starts it again on the same store (simulator and stub keep running). */
export async function stopRigService(
  rig: EscRig,
  opts: Pick<EscRigOptions, 'log' | 'metrics' | 'tuning'> = {},
): Promise<() => Promise<void>> {
  await rig.svc.stop();
  return async () => {
    const { svc, driver } = await startDriverService(rig.config, opts);
    rig.svc = svc;
    rig.driver = driver;
    rig.base = `${svc.url}/api/${svc.config.vnfmType}/v1/${VNFM_ID}`;
  };
}

/** A job descriptor as the driver answers it. */
export interface Descriptor {
  responseId: string;
  status: string;
  progress: number | string;
  statusDescription: string;
  errorCode?: string | null;
}

/** What one NSLCM wait loop saw. `latenciesMs` are the round trips of every poll. */
export interface PollOutcome {
  last: Descriptor;
  seen: Descriptor[];
  polls: number;
  latenciesMs: number[];
}

/**
 * NSLCM's wait loop (docs/nslcm-contract.md §4 "Job polling"): responseId 0 first, then the last one received; an answer
 * repeating the sent responseId is ignored; 404 means keep polling; ends only on lowercase finished/error.
 */
export async function pollLikeNslcm(jobUrl: string, opts: { intervalMs?: number; timeoutMs?: number } = {}): Promise<PollOutcome> {
  const intervalMs = opts.intervalMs ?? 20;
  const until = Date.now() + (opts.timeoutMs ?? 20_000);
  let responseId = '0';
  const seen: Descriptor[] = [];
  const latenciesMs: number[] = [];
  for (let polls = 1; Date.now() < until; polls++) {
    const t0 = process.hrtime.bigint();
    const { status, body } = await getJson(`${jobUrl}?responseId=${responseId}`);
    latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (status !== 200 && status !== 404) throw new Error(`job poll answered ${status}: ${JSON.stringify(body)}`);
    const d = status === 200 ? (body.responseDescriptor as Descriptor & { responseHistoryList: Descriptor[] }) : undefined;
    if (d && d.responseId !== responseId) {
      for (const h of [...d.responseHistoryList].reverse()) if (!seen.some((s) => s.responseId === h.responseId)) seen.push(h);
      if (!seen.some((s) => s.responseId === d.responseId)) seen.push(d);
      responseId = d.responseId;
      if (d.status === 'finished' || d.status === 'error') return { last: d, seen, polls, latenciesMs };
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`job ${jobUrl} did not end within ${opts.timeoutMs ?? 20_000} ms (last responseId ${responseId})`);
}

/** POSTs an operation, expects a jobId, and runs NSLCM's wait loop on it. */
export async function runOperation(
  base: string,
  pathAndOp: string,
  body: unknown,
  timeoutMs = 20_000,
  intervalMs = 20,
): Promise<PollOutcome & { jobId: string; vnfInstanceId?: string }> {
  const res = await postJson(`${base}${pathAndOp}`, body);
  if (res.status < 200 || res.status > 202 || typeof res.body?.jobId !== 'string') {
    throw new Error(`POST ${pathAndOp} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  const outcome = await pollLikeNslcm(`${base}/jobs/${res.body.jobId}`, { timeoutMs, intervalMs });
  return { ...outcome, jobId: res.body.jobId, vnfInstanceId: res.body.vnfInstanceId };
}

/** The Notify bodies the stub accepted (201) for one job, by status. */
export function notifiesOf(stub: NslcmStub, jobId: string, status: 'START' | 'RESULT'): NotifyBody[] {
  return (
    stub
      .acceptedNotifies()
      // Accepted means the stub's NSLCM validator passed the body: it is a NotifyBody.
      .map((n) => n.body as unknown as NotifyBody)
      .filter((b) => b.jobId === jobId && b.status === status)
  );
}

/** Waits (up to `timeoutMs`) until the stub accepted the Notify of `jobId` with `status`, and returns its body. */
export async function awaitNotify(stub: NslcmStub, jobId: string, status: 'START' | 'RESULT', timeoutMs = 5000): Promise<NotifyBody> {
  await waitFor(() => notifiesOf(stub, jobId, status).length > 0, timeoutMs);
  return notifiesOf(stub, jobId, status)[0];
}

/** vmIds of the affectedVnfc entries of a Notify with the given changeType. */
export function vmIdsOf(body: NotifyBody | undefined, changeType: string): string[] {
  const vnfcs = body?.affectedVnfc ?? [];
  return vnfcs
    .filter((v) => v.changeType === changeType)
    .map((v) => v.vmId)
    .sort();
}
