import { recordingLog, type Logged } from '../../support/recording-log';
import { getJson } from '../../support/http-service';
import { SecretRegistry } from '../../../src/logging/secret-registry';
import { startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';
import {
  awaitNotify,
  buildFwLbInstantiate,
  runOperation,
  startEscRig,
  stopRigService,
  type EscRig,
} from '../lifecycle/esc-service-harness';

/** The service with STORE_URL: jobs, VNF records and the Notify outbox on PostgreSQL, through the real ESC driver. */
describe('the service on a PostgreSQL store', () => {
  let cluster: PostgresCluster;
  let rig: EscRig | undefined;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });
  afterAll(() => cluster?.stop());

  it('when a VNF is instantiated and the service restarts, then the job, the record and the Notify live in PostgreSQL and no log line holds its password', async () => {
    const storeUrl = await cluster.createDatabase('service_store');
    const lines: Logged[] = [];
    const secrets = new SecretRegistry();
    rig = await startEscRig({
      config: { storeUrl, replicaId: 'replica-1', logLevel: 'debug' },
      log: recordingLog(lines),
      secrets,
    });

    const inst = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'finished', progress: 100 });
    await awaitNotify(rig.stub, inst.jobId, 'RESULT');
    const started = lines.find((l) => l.message === 'service started');
    expect(started?.meta).toMatchObject({ store: 'postgres', replicaId: 'replica-1' });

    const restart = await stopRigService(rig);
    await restart();
    const job = await rig.svc.store.getJob(inst.jobId);
    expect(job?.latest).toMatchObject({ status: 'finished', progress: 100 });
    expect((await getJson(`${rig.base}/vnfs/${inst.vnfInstanceId}`)).body.vnfInfo.vnfStatus).toBe('ACTIVE');

    const leaking = lines.filter((l) => JSON.stringify(l).includes(cluster.password));
    expect(leaking.map((l) => `${l.level} ${l.message}`)).toEqual([]);
  }, 60_000);
});
