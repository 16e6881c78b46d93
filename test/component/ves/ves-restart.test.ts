import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../src/store/database';
import { SqliteVesOutboxStore } from '../../../src/ves/sqlite-ves-outbox-store';
import { VesOutbox } from '../../../src/ves/ves-outbox';
import { startFakeVesCollector, type FakeVesCollector } from '../../support/fake-ves-collector';
import { DIST_MAIN, killIfRunning, spawnService, type ChildService } from '../../support/http-child-process';
import { waitFor } from '../../support/http-service';
import { vesFault as fault } from '../../support/ves-faults';

const USER = 'dcae';
const PASSWORD = 'collector-pass-1';

/** Node code that starts the built service configured from the environment, then publishes TEST_VES_EVENTS (JSON) to its VES publisher. */
function vesServiceScript(): string {
  return `
const { startService } = require(${JSON.stringify(DIST_MAIN)});
const { loadConfig } = require(${JSON.stringify(path.join(path.dirname(DIST_MAIN), 'config', 'config-loader.js'))});
startService({ config: loadConfig(process.env) }).then(async (svc) => {
  for (const event of JSON.parse(process.env.TEST_VES_EVENTS || '[]')) await svc.ves.publish(event);
  process.stdout.write(JSON.stringify({ message: 'test events published' }) + '\\n');
});`;
}

function order(collector: FakeVesCollector): string[] {
  return collector.events.map((e) => `${e.commonEventHeader.sourceName}#${e.commonEventHeader.sequence}`);
}

describe('VES events survive the driver process', () => {
  let dir: string;
  let collector: FakeVesCollector;
  let env: Record<string, string>;
  const started: ChildService[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnfm-driver-ves-'));
    collector = await startFakeVesCollector({ user: USER, password: PASSWORD });
    env = {
      STORE_PATH: path.join(dir, 'driver.db'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      VES_URL: collector.url,
      VES_USER: USER,
      VES_PASSWORD: PASSWORD,
      VES_RETRY_INITIAL_MS: '200',
      VES_RETRY_MAX_MS: '1000',
    };
  });
  afterEach(async () => {
    for (const s of started.splice(0)) await killIfRunning(s);
    await collector.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when events were stored before the driver starts, then the started driver delivers them in order', async () => {
    const db = openDatabase(env.STORE_PATH);
    const stored = new VesOutbox({
      store: new SqliteVesOutboxStore(db),
      poster: { post: () => Promise.reject(new Error('not started: nothing is sent from here')) },
      reportingEntityName: 'ciscovnfmdriver',
    });
    for (const e of [fault('vm-1', 'a'), fault('vm-2', 'b'), fault('vm-1', 'c')]) await stored.publish(e);
    db.close();

    started.push(await spawnService(['-e', vesServiceScript()], env));
    await waitFor(() => collector.events.length === 3, 10_000, { what: 'the stored events are delivered' });
    expect(order(collector).filter((s) => s.startsWith('vm-1'))).toEqual(['vm-1#1', 'vm-1#2']);
    expect(collector.events.map((e) => e.commonEventHeader.eventName)).toEqual(
      expect.arrayContaining(['Fault_vFW_a', 'Fault_vFW_b', 'Fault_vFW_c']),
    );
  }, 30_000);

  it('when the driver is killed (SIGKILL) while the collector answers 503, then the next driver delivers every event once, in order', async () => {
    collector.answerWith(503);
    const events = [fault('vm-1', 'a1'), fault('vm-1', 'a2'), fault('vm-2', 'b1'), fault('vm-1', 'a3')];
    const first = await spawnService(['-e', vesServiceScript()], { ...env, TEST_VES_EVENTS: JSON.stringify(events) });
    started.push(first);
    await waitFor(() => first.stdout().includes('test events published'), 10_000);
    await waitFor(() => collector.requests.filter((r) => r.status === 503).length >= 3, 10_000, { what: 'retries answered 503' });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(collector.events).toEqual([]);

    collector.answerWith(undefined);
    started.push(await spawnService(['-e', vesServiceScript()], env));
    await waitFor(() => collector.events.length === 4, 10_000, { what: 'the 4 events are delivered' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(collector.events).toHaveLength(4);
    expect(order(collector).filter((s) => s.startsWith('vm-1'))).toEqual(['vm-1#1', 'vm-1#2', 'vm-1#3']);
    expect(collector.events.map((e) => e.faultFields?.alarmCondition).filter((a) => String(a).startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
  }, 40_000);
});
