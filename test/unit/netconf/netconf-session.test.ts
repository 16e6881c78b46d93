import { NetconfError, RpcError } from '../../../src/netconf/errors';
import { BASE_10, NETCONF_BASE_NS, NOTIFICATION_NS } from '../../../src/netconf/namespaces';
import { NetconfSession } from '../../../src/netconf/netconf-session';
import type { NetconfNotification } from '../../../src/netconf/reply-parser';
import { textOf } from '../../../src/xml';
import { FakeNetconfPeer, messageIdOf } from './fake-netconf-peer';

async function openSession(peer = new FakeNetconfPeer(), opts = {}): Promise<{ peer: FakeNetconfPeer; session: NetconfSession }> {
  const opening = NetconfSession.open(peer, { helloTimeoutMs: 1000, rpcTimeoutMs: 2000, ...opts });
  peer.hello();
  return { peer, session: await opening };
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('NetconfSession', () => {
  it('when both hellos list base:1.1, then chunked framing is used and the hello went out in its own write', async () => {
    const { peer, session } = await openSession();
    expect(session.framing).toBe('chunked');
    expect(session.sessionId).toBe('7');
    expect(peer.writes).toHaveLength(1);
    expect(peer.writes[0].toString().endsWith('</hello>]]>]]>')).toBe(true);
    session.destroy();
  });

  it('when the server offers only base:1.0 or base:1.0 is forced, then end-of-message framing is used', async () => {
    const a = await openSession(new FakeNetconfPeer([BASE_10]));
    expect(a.session.framing).toBe('eom');
    const b = await openSession(new FakeNetconfPeer(), { forceBase10: true });
    expect(b.session.framing).toBe('eom');
    expect(b.peer.writes[0].toString()).not.toContain('base:1.1');
    a.session.destroy();
    b.session.destroy();
  });

  it('when 100 rpcs are in flight and answered out of order, then each caller gets its own reply', async () => {
    const { peer, session } = await openSession();
    const calls = Array.from({ length: 100 }, (_, i) => session.rpc(`<echo xmlns="urn:test"><n>${i}</n></echo>`));
    await peer.waitForRpcs(100);
    for (const rpc of shuffled(peer.rpcs())) {
      const n = textOf(rpc.children[0], 'n');
      peer.send(FakeNetconfPeer.reply(messageIdOf(rpc), `<n xmlns="urn:test">${n}</n>`, Math.random() < 0.5 ? 'nc' : ''));
    }
    const replies = await Promise.all(calls);
    expect(replies.map((r) => textOf(r, 'n'))).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(new Set(peer.rpcs().map(messageIdOf)).size).toBe(100);
    session.destroy();
  });

  it('when a reply carries several rpc-errors, then the RpcError keeps every field of each', async () => {
    const { peer, session } = await openSession();
    const call = session.editConfig({ target: 'running', config: '<x xmlns="urn:test"/>' });
    await peer.waitForRpcs(1);
    const err1 =
      '<rpc-error><error-type>application</error-type><error-tag>invalid-value</error-tag><error-severity>error</error-severity>' +
      '<error-app-tag>not-in-range</error-app-tag><error-path>/x/name</error-path><error-message xml:lang="en">value not in range</error-message>' +
      '<error-info><bad-value>abc</bad-value></error-info></rpc-error>';
    const err2 =
      '<rpc-error><error-type>protocol</error-type><error-tag>unknown-element</error-tag><error-severity>error</error-severity></rpc-error>';
    peer.send(FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), err1 + err2));
    const err = (await call.catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('RPC_ERROR');
    expect(err.errors).toHaveLength(2);
    expect(err.errors[0]).toMatchObject({
      type: 'application',
      tag: 'invalid-value',
      severity: 'error',
      appTag: 'not-in-range',
      path: '/x/name',
      message: 'value not in range',
    });
    expect(textOf(err.errors[0].info, 'bad-value')).toBe('abc');
    expect(err.errors[1]).toMatchObject({ type: 'protocol', tag: 'unknown-element', severity: 'error' });
    expect(err.context.sessionId).toBe('7');
    session.destroy();
  });

  it('when the transport drops with rpcs pending, then every pending rpc is rejected with a transport error', async () => {
    const { peer, session } = await openSession();
    const closed = new Promise<NetconfError | undefined>((r) => session.on('close', r));
    const calls = [session.get(), session.get(), session.get()].map((p) => p.catch((e: unknown) => e));
    await peer.waitForRpcs(3);
    peer.drop();
    for (const e of await Promise.all(calls)) expect((e as NetconfError).code).toBe('TRANSPORT');
    expect((await closed)?.code).toBe('TRANSPORT');
  });

  it('when a reply does not arrive in time, then the rpc fails with a timeout naming its message-id', async () => {
    const { peer, session } = await openSession();
    const err = (await session.rpc('<get/>', { timeoutMs: 30 }).catch((e: unknown) => e)) as NetconfError;
    expect(err.code).toBe('TIMEOUT');
    expect(err.context.messageId).toBe(messageIdOf(peer.rpcs()[0]));
    session.destroy();
  });

  it('when a malformed chunk header arrives, then the session fails with a framing error', async () => {
    const { peer, session } = await openSession();
    const call = session.get().catch((e: unknown) => e);
    peer.deliver(Buffer.from('\n#abc\n'));
    expect(((await call) as NetconfError).code).toBe('FRAMING');
  });

  it('when the server never sends its hello, then open fails with a timeout', async () => {
    const err = (await NetconfSession.open(new FakeNetconfPeer(), { helloTimeoutMs: 30 }).catch((e: unknown) => e)) as NetconfError;
    expect(err.code).toBe('TIMEOUT');
    expect(err.context.step).toBe('read server hello');
  });

  it('when notifications arrive, then they are delivered as events and through the iterator in order', async () => {
    const { peer, session } = await openSession();
    const events: NetconfNotification[] = [];
    session.on('notification', (n: NetconfNotification) => events.push(n));
    const iter = session.notifications();
    for (let i = 0; i < 5; i++) {
      peer.send(
        `<notification xmlns="${NOTIFICATION_NS}"><eventTime>2015-04-28T23:38:04.74${i}+00:00</eventTime><ev xmlns="urn:test"><i>${i}</i></ev></notification>`,
      );
    }
    session.destroy();
    const seen: string[] = [];
    for await (const n of iter) seen.push(textOf(n.body, 'i')!);
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
    expect(events.map((n) => n.eventTime)).toEqual([0, 1, 2, 3, 4].map((i) => `2015-04-28T23:38:04.74${i}+00:00`));
    expect(events[0].body.name).toBe('ev');
  });

  it('when close is called, then close-session is sent and the session ends', async () => {
    const { peer, session } = await openSession();
    const closing = session.close(1000);
    await peer.waitForRpcs(1);
    expect(peer.rpcs()[0].children[0]).toMatchObject({ name: 'close-session', ns: NETCONF_BASE_NS });
    peer.send(FakeNetconfPeer.reply(messageIdOf(peer.rpcs()[0]), '<ok/>'));
    await closing;
    expect(peer.ended).toBe(true);
    await expect(session.get()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
