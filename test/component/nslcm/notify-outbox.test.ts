import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NslcmClient } from '../../../src/nslcm/nslcm-client';
import { SqliteNotifyOutboxStore } from '../../../src/nslcm/notify-outbox-store';
import { NotifyOutbox, type OutboxMessage } from '../../../src/nslcm/notify-outbox';
import { openDatabase, type Db } from '../../../src/store/database';
import { startNslcmStub, type NslcmStub } from '../../support/nslcm-stub';
import { buildNotifyBody } from './notify-fixtures';

/** Down-time of NSLCM in the resilience test; the service tolerates any length (backoff is capped). */
const OUTAGE_MS = Number(process.env.NSLCM_OUTAGE_TEST_MS ?? 2_000);

function message(vnf: string, jobId: string, status: 'START' | 'RESULT'): OutboxMessage {
  return { vnfmId: 'vnfm-1', vnfInstanceId: vnf, jobId, status, operation: 'Instantiate', body: buildNotifyBody({ status, jobId }) };
}

describe('NotifyOutbox delivering to the NSLCM stub', () => {
  let stub: NslcmStub;
  let dir: string;
  let db: Db;
  const outboxes: NotifyOutbox[] = [];

  const newOutbox = (database: Db, extra: Partial<ConstructorParameters<typeof NotifyOutbox>[0]> = {}) => {
    const client = new NslcmClient({ baseUrl: stub.url, partnerName: 'ciscovnfmdriver', timeoutMs: 300 });
    const box = new NotifyOutbox({
      store: new SqliteNotifyOutboxStore(database),
      sender: client,
      initialBackoffMs: 20,
      maxBackoffMs: 200,
      idlePollMs: 200,
      stopTimeoutMs: 200,
      ...extra,
    });
    outboxes.push(box);
    return box;
  };
  const notifies = () => stub.acceptedNotifies().map((n) => `${n.path.split('/')[7]}:${String(n.body.jobId)}:${String(n.body.status)}`);

  beforeEach(async () => {
    stub = await startNslcmStub();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
    db = openDatabase(path.join(dir, 'driver.db'));
  });
  afterEach(async () => {
    await Promise.all(outboxes.splice(0).map((b) => b.stop()));
    if (db.open) db.close();
    await stub.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("when a VNF's first Notify fails twice, then its next waits while another VNF goes ahead", async () => {
    stub.failNext('/api/nslcm/v1/ns/vnfm-1/vnfs/vnf-a/Notify', 503, 2);
    const box = newOutbox(db, { initialBackoffMs: 100 });
    await box.enqueue(message('vnf-a', 'ja', 'START'));
    await box.enqueue(message('vnf-a', 'ja', 'RESULT'));
    await box.enqueue(message('vnf-b', 'jb', 'START'));
    await box.enqueue(message('vnf-b', 'jb', 'RESULT'));
    box.start();
    await box.waitForDelivery('ja', 'RESULT', 5_000);
    await box.waitForDelivery('jb', 'RESULT', 5_000);
    const order = notifies();
    expect(order.filter((n) => n.startsWith('vnf-a'))).toEqual(['vnf-a:ja:START', 'vnf-a:ja:RESULT']);
    expect(order.filter((n) => n.startsWith('vnf-b'))).toEqual(['vnf-b:jb:START', 'vnf-b:jb:RESULT']);
    expect(order.indexOf('vnf-b:jb:RESULT')).toBeLessThan(order.indexOf('vnf-a:ja:START'));
    expect(await box.find('ja', 'START')).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(await box.stats()).toMatchObject({ pending: 0, delivered: 4, failed: 0, inFlight: 0 });
  });

  it('when the same job and status is enqueued twice, even after delivery, then it is sent once', async () => {
    const box = newOutbox(db);
    box.start();
    expect((await box.enqueue(message('vnf-a', 'j1', 'START'))).inserted).toBe(true);
    expect((await box.enqueue(message('vnf-a', 'j1', 'START'))).inserted).toBe(false);
    await box.waitForDelivery('j1', 'START', 5_000);
    expect((await box.enqueue(message('vnf-a', 'j1', 'START'))).inserted).toBe(false);
    await box.enqueue(message('vnf-a', 'j1', 'RESULT'));
    await box.waitForDelivery('j1', 'RESULT', 5_000);
    expect(notifies()).toEqual(['vnf-a:j1:START', 'vnf-a:j1:RESULT']);
  });

  it("when NSLCM rejects a Notify with 400, then it is recorded as failed and the VNF's next message goes", async () => {
    stub.failNext('/api/nslcm/v1/ns/vnfm-1/vnfs/vnf-a/Notify', 400, 1);
    const box = newOutbox(db);
    await box.enqueue(message('vnf-a', 'j1', 'START'));
    await box.enqueue(message('vnf-a', 'j1', 'RESULT'));
    box.start();
    await expect(box.waitForDelivery('j1', 'START', 5_000)).rejects.toThrow(/failed permanently.*400/);
    await box.waitForDelivery('j1', 'RESULT', 5_000);
    expect(await box.stats()).toMatchObject({ failed: 1, delivered: 1, pending: 0 });
  });

  it('when the service restarts while NSLCM is down, then delivery resumes from the store and is not repeated', async () => {
    await stub.goDown();
    const file = db.name;
    let box = newOutbox(db);
    await box.enqueue(message('vnf-a', 'j1', 'START'));
    box.start();
    await waitUntil(async () => ((await box.find('j1', 'START'))?.attempts ?? 0) >= 2, 3_000);
    await box.stop();
    db.close();

    db = openDatabase(file);
    box = newOutbox(db);
    const before = (await box.find('j1', 'START'))!;
    expect(before).toMatchObject({ state: 'pending' });
    expect(before.attempts).toBeGreaterThanOrEqual(2);
    await stub.comeBack();
    box.start();
    await box.waitForDelivery('j1', 'START', 5_000);
    await box.stop();
    db.close();

    db = openDatabase(file);
    box = newOutbox(db);
    box.start();
    expect((await box.enqueue(message('vnf-a', 'j1', 'START'))).inserted).toBe(false);
    await box.enqueue(message('vnf-a', 'j1', 'RESULT'));
    await box.waitForDelivery('j1', 'RESULT', 5_000);
    expect(notifies()).toEqual(['vnf-a:j1:START', 'vnf-a:j1:RESULT']);
  });

  it(
    `when NSLCM is down for ${OUTAGE_MS} ms while a job ends, then the Notify arrives once it is back`,
    async () => {
      const box = newOutbox(db);
      box.start();
      await stub.goDown();
      const wentDown = Date.now();
      await box.enqueue(message('vnf-a', 'j1', 'RESULT'));
      const back = new Promise<void>((r) => setTimeout(() => void stub.comeBack().then(r), OUTAGE_MS));
      const row = await box.waitForDelivery('j1', 'RESULT', OUTAGE_MS + 5_000);
      await back;
      expect(Date.now() - wentDown).toBeGreaterThanOrEqual(OUTAGE_MS);
      expect(row.attempts).toBeGreaterThan(1);
      expect(notifies()).toEqual(['vnf-a:j1:RESULT']);
    },
    OUTAGE_MS + 10_000,
  );

  it('when the older dialect is configured, then the stored uppercase body goes out in lowercase', async () => {
    await stub.stop();
    stub = await startNslcmStub({ dialect: 'lowercase' });
    const box = newOutbox(db, { dialect: 'lowercase' });
    box.start();
    await box.enqueue(message('vnf-a', 'j1', 'START'));
    await box.waitForDelivery('j1', 'START', 5_000);
    const sent = stub.acceptedNotifies()[0].body as { status: string; affectedVnfc: { changeType: string }[] };
    expect([sent.status, sent.affectedVnfc[0].changeType]).toEqual(['start', 'added']);
  });

  it('when stopped while NSLCM hangs on a send, then stop returns within its bound and the message stays pending', async () => {
    stub.hangNext(/Notify$/, 1);
    const box = newOutbox(db, { stopTimeoutMs: 100 });
    box.start();
    await box.enqueue(message('vnf-a', 'j1', 'START'));
    await waitUntil(() => stub.calls.length === 1, 2_000);
    const t0 = Date.now();
    await box.stop();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(await box.depth()).toBe(1);
  });
});

async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
