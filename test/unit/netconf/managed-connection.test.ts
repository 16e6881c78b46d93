import { NetconfError } from '../../../src/netconf/errors';
import { ManagedNetconfConnection } from '../../../src/netconf/managed-connection';
import { NOTIFICATION_NS } from '../../../src/netconf/namespaces';
import { NetconfSession } from '../../../src/netconf/netconf-session';
import { FakeNetconfPeer } from './fake-netconf-peer';
import { thrownBy } from '../../support/thrown';

/** A connector that opens sessions on fresh fake peers which accept create-subscription. */
function fakeConnector(failures: NetconfError[] = []) {
  const peers: FakeNetconfPeer[] = [];
  const connector = async (): Promise<NetconfSession> => {
    const failure = failures.shift();
    if (failure) throw failure;
    const peer = new FakeNetconfPeer();
    peer.autoReply = true;
    peers.push(peer);
    const opening = NetconfSession.open(peer, { helloTimeoutMs: 500, rpcTimeoutMs: 500 });
    peer.hello();
    const session = await opening;
    return session;
  };
  return { peers, connector };
}

const base = {
  host: '127.0.0.1',
  port: 1,
  username: 'u',
  reconnect: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0.5 },
  subscription: { stream: 'NETCONF' },
};

describe('ManagedNetconfConnection', () => {
  it('when the session is lost and the first reconnect fails on the network, then it retries, re-creates the subscription and emits reconnected', async () => {
    const failures: NetconfError[] = [];
    const { peers, connector } = fakeConnector(failures);
    const conn = new ManagedNetconfConnection({ ...base, connector });
    const events: string[] = [];
    conn.on('up', () => events.push('up')).on('down', (e: NetconfError) => events.push(`down:${e.code}`));
    await conn.start();
    const first = conn.current();
    const reconnected = new Promise<NetconfSession>((r) => conn.once('reconnected', r));
    failures.push(new NetconfError('TRANSPORT', 'refused'));
    peers[0].drop();
    const second = await reconnected;
    expect(second).not.toBe(first);
    expect(conn.current()).toBe(second);
    expect(peers).toHaveLength(2);
    expect(peers[1].rpcs()[0].children[0]).toMatchObject({ name: 'create-subscription', ns: NOTIFICATION_NS });
    expect(events).toEqual(['up', 'down:TRANSPORT', 'up']);
    const notified = new Promise((r) => conn.once('notification', r));
    peers[1].send(`<notification xmlns="${NOTIFICATION_NS}"><eventTime>2024-01-01T00:00:00Z</eventTime><e xmlns="urn:t"/></notification>`);
    await expect(notified).resolves.toMatchObject({ eventTime: '2024-01-01T00:00:00Z' });
    await conn.close();
    expect(thrownBy(() => conn.current())).toMatchObject({ code: 'CLOSED' });
  });

  it('when the first connect fails on authentication, then start rejects without retrying', async () => {
    const { peers, connector } = fakeConnector([new NetconfError('AUTH', 'denied')]);
    const conn = new ManagedNetconfConnection({ ...base, connector });
    await expect(conn.start()).rejects.toMatchObject({ code: 'AUTH' });
    expect(peers).toHaveLength(0);
    await conn.close();
  });

  it('when closed while waiting to reconnect, then no further attempt is made', async () => {
    const failures: NetconfError[] = [];
    const { peers, connector } = fakeConnector(failures);
    const conn = new ManagedNetconfConnection({ ...base, reconnect: { initialDelayMs: 50, maxDelayMs: 50, jitter: 0 }, connector });
    await conn.start();
    failures.push(...Array.from({ length: 50 }, () => new NetconfError('TRANSPORT', 'refused')));
    peers[0].drop();
    await new Promise((r) => setTimeout(r, 20));
    await conn.close();
    const left = failures.length;
    await new Promise((r) => setTimeout(r, 120));
    expect(failures.length).toBe(left);
    expect(left).toBe(50);
    await expect(conn.waitUntilUp(10)).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('when a reconnect is refused on the host key, then it stops retrying and emits failed with that error', async () => {
    const failures: NetconfError[] = [];
    const { peers, connector } = fakeConnector(failures);
    const conn = new ManagedNetconfConnection({ ...base, connector });
    await conn.start();
    const failed = new Promise<NetconfError>((r) => conn.once('failed', r));
    failures.push(new NetconfError('HOST_KEY', 'host key mismatch'));
    peers[0].drop();
    await expect(failed).resolves.toMatchObject({ code: 'HOST_KEY' });
    await new Promise((r) => setTimeout(r, 60));
    expect(peers).toHaveLength(1);
    await conn.close();
  });

  it('when the first connect fails on the network, then start rejects without retrying', async () => {
    const failures = [new NetconfError('TRANSPORT', 'refused')];
    const { peers, connector } = fakeConnector(failures);
    const conn = new ManagedNetconfConnection({ ...base, connector });
    await expect(conn.start()).rejects.toMatchObject({ code: 'TRANSPORT' });
    await new Promise((r) => setTimeout(r, 30));
    expect(peers).toHaveLength(0);
    await conn.close();
  });
});
