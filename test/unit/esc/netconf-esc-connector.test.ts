import type { EscTarget } from '../../../src/esc/esc-channel';
import { NetconfEscConnector, type NetconfEscSettings } from '../../../src/esc/netconf-esc-connector';
import { silentLog } from '../../../src/logging/log';
import { NetconfError } from '../../../src/netconf/errors';
import { NetconfSession } from '../../../src/netconf/netconf-session';
import { FakeNetconfPeer } from '../netconf/fake-netconf-peer';

const TARGET: EscTarget = { host: '192.0.2.10', port: 830, userName: 'admin', password: 'secret' };
const SETTINGS: NetconfEscSettings = {
  strictHostKeyChecking: 'no',
  connectTimeoutMs: 1000,
  rpcTimeoutMs: 2000,
  reconnectInitialMs: 10,
  reconnectMaxMs: 20,
};

/** Opens sessions on fake peers, or fails with the next queued error. */
function buildConnector(failures: Error[]): { connector: NetconfEscConnector; peers: FakeNetconfPeer[]; attempts: () => number } {
  const peers: FakeNetconfPeer[] = [];
  let attempts = 0;
  const openSession = async (): Promise<NetconfSession> => {
    attempts++;
    const failure = failures.shift();
    if (failure) throw failure;
    const peer = new FakeNetconfPeer();
    peer.autoReply = true;
    peers.push(peer);
    const opening = NetconfSession.open(peer, { helloTimeoutMs: 1000, rpcTimeoutMs: 2000 });
    peer.hello();
    return opening;
  };
  return { connector: new NetconfEscConnector(SETTINGS, { openSession }), peers, attempts: () => attempts };
}

describe('NetconfEscConnector event session', () => {
  it('when the escEvent session drops and ESC then refuses the credentials, then it reports the failure once and stops retrying', async () => {
    const failures: Error[] = [];
    const { connector, peers, attempts } = buildConnector(failures);
    const failed: Error[] = [];
    const link = await connector.openEvents(
      TARGET,
      { onEvent: () => undefined, onReconnected: () => undefined, onFailed: (e) => failed.push(e) },
      silentLog,
    );
    failures.push(new NetconfError('AUTH', 'permission denied'));
    peers[0].drop();
    const end = Date.now() + 2000;
    while (failed.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 80));
    expect(failed).toEqual([expect.objectContaining({ code: 'AUTH' })]);
    expect(attempts()).toBe(2);
    await link.close();
  });

  it('when the escEvent session drops on the network, then it reconnects after a pause and says so', async () => {
    const failures: Error[] = [];
    const { connector, peers } = buildConnector(failures);
    let reconnected = 0;
    const link = await connector.openEvents(TARGET, { onEvent: () => undefined, onReconnected: () => reconnected++ }, silentLog);
    failures.push(new NetconfError('TRANSPORT', 'connection refused'));
    peers[0].drop();
    const end = Date.now() + 2000;
    while (reconnected === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(reconnected).toBe(1);
    expect(peers).toHaveLength(2);
    await link.close();
  });

  it('when the first escEvent connect fails, then openEvents rejects with that error and does not retry', async () => {
    const { connector, attempts } = buildConnector([new NetconfError('TRANSPORT', 'connection refused')]);
    await expect(
      connector.openEvents(TARGET, { onEvent: () => undefined, onReconnected: () => undefined }, silentLog),
    ).rejects.toMatchObject({ code: 'TRANSPORT' });
    await new Promise((r) => setTimeout(r, 50));
    expect(attempts()).toBe(1);
  });
});
