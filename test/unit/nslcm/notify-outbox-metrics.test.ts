import { createMetrics, type Metrics } from '../../../src/metrics';
import { SqliteNotifyOutboxStore } from '../../../src/nslcm/notify-outbox-store';
import { NotifyOutbox, type NotifyOutboxMetrics, type NotifySender } from '../../../src/nslcm/notify-outbox';
import { NslcmError } from '../../../src/nslcm/nslcm-errors';
import { openDatabase, type Db } from '../../../src/store/database';
import { outboxMessage as message } from '../../support/outbox-messages';

/** A sender that answers each call with the next scripted outcome (then 2xx). */
function scriptedSender(script: Array<number | 'network'>): NotifySender & { calls: number } {
  const sender = {
    calls: 0,
    async notify(): Promise<void> {
      const next = script[sender.calls++];
      if (next === undefined) return;
      if (next === 'network') throw new Error('connect ECONNREFUSED');
      throw new NslcmError(`HTTP ${next}`, { call: 'notify', url: 'http://nslcm/notify', status: next });
    },
  };
  return sender;
}

async function retries(m: Metrics): Promise<number> {
  return (await m.notifyRetries.get()).values[0]?.value ?? 0;
}

describe('NotifyOutbox retry metric', () => {
  let db: Db;
  let box: NotifyOutbox | undefined;
  let metrics: Metrics;

  const newOutbox = (sender: NotifySender, m: NotifyOutboxMetrics | undefined = metrics): NotifyOutbox => {
    box = new NotifyOutbox({
      store: new SqliteNotifyOutboxStore(db),
      sender,
      metrics: m,
      initialBackoffMs: 5,
      maxBackoffMs: 20,
      idlePollMs: 50,
      stopTimeoutMs: 200,
    });
    return box;
  };

  beforeEach(() => {
    db = openDatabase(':memory:');
    metrics = createMetrics({ collectDefaults: false });
  });
  afterEach(async () => {
    await box?.stop();
    box = undefined;
    db.close();
  });

  it('when the full prom-client Metrics is given, then it satisfies the outbox metrics port', () => {
    const port: NotifyOutboxMetrics = createMetrics({ collectDefaults: false });
    expect(typeof port.notifyRetries.inc).toBe('function');
  });

  it('when deliveries fail transiently three times, then nslcm_notify_retries_total is 3 after the delivery', async () => {
    const sender = scriptedSender([503, 'network', 429]);
    const outbox = newOutbox(sender);
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    outbox.start();
    await outbox.waitForDelivery('j1', 'START', 5_000);
    expect(sender.calls).toBe(4);
    expect(await retries(metrics)).toBe(3);
    expect(await metrics.registry.getSingleMetricAsString('nslcm_notify_retries_total')).toContain('nslcm_notify_retries_total 3');
  });

  it('when deliveries succeed first time or are refused permanently, then no retry is counted', async () => {
    const sender = scriptedSender([400]);
    const outbox = newOutbox(sender);
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    await outbox.enqueue(message('vnf-a', 'j1', 'RESULT'));
    outbox.start();
    await expect(outbox.waitForDelivery('j1', 'START', 5_000)).rejects.toThrow(/failed permanently/);
    await outbox.waitForDelivery('j1', 'RESULT', 5_000);
    expect(sender.calls).toBe(2);
    expect(await retries(metrics)).toBe(0);
  });

  it('when the metric throws, then the retry still happens and the message is delivered', async () => {
    const sender = scriptedSender([503]);
    const outbox = newOutbox(sender, {
      notifyRetries: {
        inc: () => {
          throw new Error('metrics down');
        },
      },
    });
    await outbox.enqueue(message('vnf-a', 'j1', 'START'));
    outbox.start();
    await expect(outbox.waitForDelivery('j1', 'START', 5_000)).resolves.toMatchObject({ state: 'delivered', attempts: 2 });
  });
});
