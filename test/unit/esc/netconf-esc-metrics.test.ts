import type { EscTarget } from '../../../src/esc/esc-channel';
import type { EscEventView } from '../../../src/esc/esc-event-view';
import { MAX_EVENT_TYPES, editConfigOperation, type EscMetrics } from '../../../src/esc/esc-metrics';
import { buildServiceAction, buildUndeployConfig, buildVmAction } from '../../../src/esc/mapping/edit-builders';
import { NetconfEscConnector, type NetconfEscSettings } from '../../../src/esc/netconf-esc-connector';
import { silentLog } from '../../../src/logging/log';
import { createMetrics, type Metrics } from '../../../src/metrics';
import { NOTIFICATION_NS } from '../../../src/netconf/namespaces';
import { NetconfSession, type NetconfConnectOptions } from '../../../src/netconf/netconf-session';
import { xml } from '../../../src/xml';
import { FakeNetconfPeer, messageIdOf } from '../netconf/fake-netconf-peer';

const TARGET: EscTarget = { host: '192.0.2.10', port: 830, userName: 'admin', password: 'secret' };
const ESC = '192.0.2.10:830';
const TEST_NODE = xml('x', { xmlns: 'urn:test' });
const SETTINGS: NetconfEscSettings = {
  strictHostKeyChecking: 'no',
  connectTimeoutMs: 1000,
  rpcTimeoutMs: 2000,
  reconnectInitialMs: 10,
  reconnectMaxMs: 50,
};

/** A connector whose sessions run over in-memory peers that answer every rpc with <ok/>. */
function rig(metrics: EscMetrics | undefined): { connector: NetconfEscConnector; peers: FakeNetconfPeer[] } {
  const peers: FakeNetconfPeer[] = [];
  const openSession = async (opts: NetconfConnectOptions): Promise<NetconfSession> => {
    expect({ host: opts.host, port: opts.port }).toEqual({ host: TARGET.host, port: TARGET.port });
    const peer = new FakeNetconfPeer();
    peer.autoReply = true;
    peers.push(peer);
    const opening = NetconfSession.open(peer, { helloTimeoutMs: 1000, rpcTimeoutMs: 2000 });
    peer.hello();
    return opening;
  };
  return { connector: new NetconfEscConnector(SETTINGS, { metrics, openSession }), peers };
}

interface Sample {
  value: number;
  labels: Record<string, unknown>;
  metricName?: string;
}
async function value(
  metric: { get(): Promise<{ values: Sample[] }> },
  labels: Record<string, string>,
  metricName?: string,
): Promise<number | undefined> {
  const { values } = await metric.get();
  return values.find(
    (v) => (metricName === undefined || v.metricName === metricName) && Object.entries(labels).every(([k, want]) => v.labels[k] === want),
  )?.value;
}

const sessionsUp = (m: Metrics) => value(m.netconfSessionsUp, { esc: ESC });
const rpcCount = (m: Metrics, operation: string) =>
  value(m.netconfRpcLatency, { esc: ESC, operation }, 'netconf_rpc_duration_seconds_count');
const rpcSum = (m: Metrics, operation: string) => value(m.netconfRpcLatency, { esc: ESC, operation }, 'netconf_rpc_duration_seconds_sum');
const notifications = (m: Metrics, type: string) => value(m.netconfNotifications, { esc: ESC, type });

function escEvent(type: string, depname = 'dep-secret-name'): string {
  return (
    `<notification xmlns="${NOTIFICATION_NS}"><eventTime>2026-01-01T00:00:00Z</eventTime>` +
    `<escEvent xmlns="http://www.cisco.com/esc/esc"><status>SUCCESS</status><status_code>200</status_code>` +
    `<status_message>ok</status_message><depname>${depname}</depname><tenant>t1</tenant>` +
    `<event><type>${type}</type></event></escEvent></notification>`
  );
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('NetconfEscConnector metrics', () => {
  let metrics: Metrics;
  beforeEach(() => {
    metrics = createMetrics({ collectDefaults: false });
  });

  it('when the full prom-client Metrics is given, then it satisfies the EscMetrics port', () => {
    const port: EscMetrics = createMetrics({ collectDefaults: false });
    expect(typeof port.netconfSessionsUp.inc).toBe('function');
  });

  it('when the RPC session opens, drops, reopens and closes, then sessions_up{esc=host:port} goes 1, 0, 1, 0', async () => {
    const { connector, peers } = rig(metrics);
    const link = await connector.openRpc(TARGET, silentLog);
    expect(await sessionsUp(metrics)).toBeUndefined();

    await link.editConfig(TEST_NODE);
    expect(peers).toHaveLength(1);
    expect(await sessionsUp(metrics)).toBe(1);

    peers[0].drop();
    expect(await sessionsUp(metrics)).toBe(0);

    await link.get(TEST_NODE);
    expect(peers).toHaveLength(2);
    expect(await sessionsUp(metrics)).toBe(1);

    await link.close();
    expect(await sessionsUp(metrics)).toBe(0);
  });

  it('when two RPC links serve the same ESC and one session drops, then the gauge counts the one still open', async () => {
    const { connector, peers } = rig(metrics);
    const a = await connector.openRpc(TARGET, silentLog);
    const b = await connector.openRpc({ ...TARGET, userName: 'other' }, silentLog);
    await a.get(TEST_NODE);
    await b.get(TEST_NODE);
    expect(await sessionsUp(metrics)).toBe(2);
    peers[0].drop();
    expect(await sessionsUp(metrics)).toBe(1);
    await Promise.all([a.close(), b.close()]);
    expect(await sessionsUp(metrics)).toBe(0);
  });

  it('when RPCs are sent, then each is timed under its operation and the ESC address, never a deployment name', async () => {
    const { connector, peers } = rig(metrics);
    const link = await connector.openRpc(TARGET, silentLog);
    await link.editConfig(buildUndeployConfig('t1', 'dep-secret-name'));
    await link.editConfig(buildVmAction('REBOOT', 'vm-1', true));
    await link.editConfig(buildServiceAction('STOP', 't1', 'dep-secret-name'));
    await link.get(TEST_NODE);

    // A reply that takes 60 ms is measured as such.
    const peer = peers[0];
    peer.autoReply = false;
    const slow = link.get(xml('y', { xmlns: 'urn:test' }));
    await peer.waitForRpcs(5);
    await new Promise((r) => setTimeout(r, 60));
    peer.send(FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[4]), '<data/>'));
    await slow;
    peer.autoReply = true;

    expect(await rpcCount(metrics, 'editConfig')).toBe(1);
    expect(await rpcCount(metrics, 'vmAction')).toBe(1);
    expect(await rpcCount(metrics, 'serviceAction')).toBe(1);
    expect(await rpcCount(metrics, 'get')).toBe(2);
    expect(await rpcSum(metrics, 'get')).toBeGreaterThanOrEqual(0.05);
    expect(await rpcSum(metrics, 'editConfig')).toBeLessThan(0.05);
    const text = await metrics.registry.getSingleMetricAsString('netconf_rpc_duration_seconds');
    expect(text).toContain(`esc="${ESC}"`);
    expect(text).not.toContain('dep-secret-name');
    await link.close();
  });

  it('when ESC answers an RPC with rpc-error, then the round trip is still timed and the error reaches the caller', async () => {
    const { connector, peers } = rig(metrics);
    const link = await connector.openRpc(TARGET, silentLog);
    await link.get(TEST_NODE);
    const peer = peers[0];
    peer.autoReply = false;
    const refused = link.editConfig(TEST_NODE);
    await peer.waitForRpcs(2);
    peer.send(
      FakeNetconfPeer.reply(
        messageIdOf(peer.rpcs()[1]),
        `<rpc-error><error-type>application</error-type><error-tag>invalid-value</error-tag><error-severity>error</error-severity></rpc-error>`,
      ),
    );
    await expect(refused).rejects.toThrow();
    peer.autoReply = true;
    expect(await rpcCount(metrics, 'editConfig')).toBe(1);
    await link.close();
  });

  it('when escEvents arrive, also after a reconnect, then they are counted per ESC and type and still delivered', async () => {
    const { connector, peers } = rig(metrics);
    const received: string[] = [];
    let reconnected = 0;
    const link = await connector.openEvents(
      TARGET,
      { onEvent: (e: EscEventView) => received.push(e.type), onReconnected: () => reconnected++ },
      silentLog,
    );
    peers[0].send(escEvent('VM_ALIVE'));
    peers[0].send(escEvent('VM_ALIVE'));
    peers[0].send(escEvent('SERVICE_ALIVE'));
    peers[0].send(
      `<notification xmlns="${NOTIFICATION_NS}"><eventTime>2026-01-01T00:00:00Z</eventTime><other xmlns="urn:test"/></notification>`,
    );

    peers[0].drop();
    await until(() => reconnected === 1);
    peers[1].send(escEvent('VM_ALIVE'));

    expect(received).toEqual(['VM_ALIVE', 'VM_ALIVE', 'SERVICE_ALIVE', 'VM_ALIVE']);
    expect(await notifications(metrics, 'VM_ALIVE')).toBe(3);
    expect(await notifications(metrics, 'SERVICE_ALIVE')).toBe(1);
    expect(await notifications(metrics, 'other')).toBe(1);
    expect(await metrics.registry.getSingleMetricAsString('netconf_notifications_total')).not.toContain('dep-secret-name');
    // The event session is not the RPC session: it does not move the gauge.
    expect(await sessionsUp(metrics)).toBeUndefined();
    await link.close();
  });

  it('when a peer sends more distinct event types than the cap, then the excess is counted as other', async () => {
    const { connector, peers } = rig(metrics);
    const link = await connector.openEvents(TARGET, { onEvent: () => undefined, onReconnected: () => undefined }, silentLog);
    for (let i = 0; i < MAX_EVENT_TYPES + 5; i++) peers[0].send(escEvent(`TYPE_${i}`));
    const { values } = await metrics.netconfNotifications.get();
    expect(values).toHaveLength(MAX_EVENT_TYPES + 1);
    expect(await notifications(metrics, 'other')).toBe(5);
    await link.close();
  });

  it('when no metrics are given, then RPCs and events work as before', async () => {
    const { connector, peers } = rig(undefined);
    const received: string[] = [];
    const events = await connector.openEvents(TARGET, { onEvent: (e) => received.push(e.type), onReconnected: () => undefined }, silentLog);
    const link = await connector.openRpc(TARGET, silentLog);
    peers[0].send(escEvent('VM_ALIVE'));
    await link.editConfig(TEST_NODE);
    expect(received).toEqual(['VM_ALIVE']);
    await Promise.all([link.close(), events.close()]);
  });

  it('when the metrics throw, then RPCs and events are unaffected', async () => {
    const broken = () => {
      throw new Error('metrics down');
    };
    const throwing: EscMetrics = {
      netconfSessionsUp: { inc: broken, dec: broken },
      netconfRpcLatency: { observe: broken },
      netconfNotifications: { inc: broken },
    };
    const { connector, peers } = rig(throwing);
    const received: string[] = [];
    const events = await connector.openEvents(TARGET, { onEvent: (e) => received.push(e.type), onReconnected: () => undefined }, silentLog);
    const link = await connector.openRpc(TARGET, silentLog);
    peers[0].send(escEvent('VM_ALIVE'));
    await link.editConfig(TEST_NODE);
    await expect(link.get(TEST_NODE)).resolves.toBeDefined();
    expect(received).toEqual(['VM_ALIVE']);
    await Promise.all([link.close(), events.close()]);
  });
});

describe('editConfigOperation', () => {
  it('names an edit-config after the action it carries, else editConfig', () => {
    expect(editConfigOperation(buildVmAction('STOP', 'vm', false))).toBe('vmAction');
    expect(editConfigOperation(buildServiceAction('START', 't', 'd'))).toBe('serviceAction');
    expect(editConfigOperation(buildUndeployConfig('t', 'd'))).toBe('editConfig');
  });
});
