import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ReplicaFleet } from '../../../bench/lib/replica-fleet';
import { startSimulator, type RunningSimulator, type SimulatorDelays } from '../../../src/simulator';
import { buildVnfPackage, seedDefaults, startNslcmStub, type NslcmStub } from '../../support/nslcm-stub';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';
import { postJson } from '../../support/http-service';
import { ESC_USER, FW_LB_PACKAGE, STUB_VIM_CONNECTOR, VNFM_ID, fwLbVnfdModel, pinSimulatorKey } from '../lifecycle/esc-service-harness';

/** Short leases, so that a takeover happens within seconds: a lease of 2 s, renewed (and orphans looked for) every 0.5 s. */
export const TEST_LEASE = { LEASE_TTL_MS: '2000', LEASE_RENEW_MS: '500' };

/** One history entry with the fence it was written under. */
export interface WrittenEntry {
  responseId: number;
  status: string;
  writtenBy: string | null;
  epoch: number | null;
}

/** Replicas of the built driver on one PostgreSQL database, the ESC simulator and the strict NSLCM stub. */
export interface ReplicaRig {
  cluster: PostgresCluster;
  storeUrl: string;
  sim: RunningSimulator;
  stub: NslcmStub;
  fleet: ReplicaFleet;
  /** `http://127.0.0.1:<port>/api/ciscovnfmdriver/v1/<vnfmId>` of a running replica. */
  base(replicaId: string): string;
  /** POSTs an operation to one replica; answers the jobId (and vnfInstanceId). */
  post(replicaId: string, pathAndOp: string, body: unknown): Promise<{ jobId: string; vnfInstanceId?: string }>;
  /** The job's owner and epoch as the database holds them. */
  ownerOf(jobId: string): Promise<{ owner: string | null; epoch: number; status: string }>;
  /** The job's history with who wrote each entry. */
  historyOf(jobId: string): Promise<WrittenEntry[]>;
  /** Notify bodies NSLCM accepted for this job, as `STATUS Operation`. */
  notifiesOf(jobId: string): string[];
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL server, the simulator (with `delays`), the stub and `replicas` replicas of
 * `node dist/main.js` (`npm run build` first), each with REPLICA_ID replica-<i>, {@link TEST_LEASE} and `env`.
 */
export async function startReplicaRig(opts: {
  replicas: number;
  delays?: Partial<SimulatorDelays>;
  env?: Record<string, string>;
}): Promise<ReplicaRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replica-rig-'));
  const cluster = await startPostgresCluster();
  const stoppers: Array<() => Promise<void>> = [() => cluster.stop(), async () => fs.rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const s of stoppers.splice(0).reverse()) await s();
  };
  try {
    const storeUrl = await cluster.createDatabase('replicas');
    const sim = await startSimulator({ port: 0, users: [ESC_USER], vimConnectors: [STUB_VIM_CONNECTOR], delays: opts.delays });
    stoppers.push(() => sim.stop());
    const stub = await startNslcmStub();
    stoppers.push(() => stub.stop());
    seedDefaults(stub, { host: sim.host, port: sim.port });
    stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwLbVnfdModel()));
    const fleet = new ReplicaFleet({
      count: opts.replicas,
      dir,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        STORE_URL: storeUrl,
        MSB_URL: stub.url,
        LOG_LEVEL: 'info',
        ESC_KNOWN_HOSTS: pinSimulatorKey(dir, sim),
        ESC_STRICT_HOST_KEY_CHECKING: 'yes',
        ...TEST_LEASE,
        ...opts.env,
      },
    });
    stoppers.push(() => fleet.stop(5000));
    await fleet.start();
    const db = new pg.Client({ connectionString: storeUrl });
    await db.connect();
    stoppers.push(() => db.end());
    const base = (id: string): string => {
      const port = fleet.get(id).process?.port;
      if (port === undefined) throw new Error(`replica ${id} is not running`);
      return `http://127.0.0.1:${port}/api/ciscovnfmdriver/v1/${VNFM_ID}`;
    };
    return {
      cluster,
      storeUrl,
      sim,
      stub,
      fleet,
      base,
      post: async (id, pathAndOp, body) => {
        const res = await postJson(`${base(id)}${pathAndOp}`, body);
        if (typeof res.body?.jobId !== 'string') throw new Error(`POST ${pathAndOp} answered ${res.status}: ${JSON.stringify(res.body)}`);
        return { jobId: res.body.jobId, vnfInstanceId: res.body.vnfInstanceId };
      },
      ownerOf: async (jobId) => {
        const { rows } = await db.query<{ owner: string | null; epoch: number; status: string }>(
          'SELECT owner, epoch, status FROM jobs WHERE job_id = $1',
          [jobId],
        );
        if (!rows[0]) throw new Error(`no job ${jobId} in the database`);
        return rows[0];
      },
      historyOf: async (jobId) => {
        const { rows } = await db.query<{ response_id: number; status: string; written_by: string | null; written_epoch: number | null }>(
          'SELECT response_id, status, written_by, written_epoch FROM job_history WHERE job_id = $1 ORDER BY response_id',
          [jobId],
        );
        return rows.map((r) => ({ responseId: r.response_id, status: r.status, writtenBy: r.written_by, epoch: r.written_epoch }));
      },
      notifiesOf: (jobId) =>
        stub
          .acceptedNotifies()
          .map((n) => n.body)
          .filter((b) => b.jobId === jobId)
          .map((b) => `${String(b.status)} ${String(b.operation)}`),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
