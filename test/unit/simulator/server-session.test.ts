import { EventEmitter } from 'node:events';
import type { ServerChannel } from 'ssh2';
import { silentLog } from '../../../src/logging/log';
import { encodeFrame, FrameDecoder } from '../../../src/netconf/framing';
import { ServerSession, type RpcDispatcher } from '../../../src/simulator/server-session';
import { XML_DECL } from '../../../src/simulator/esc-event-writer';

const BASE_10 = 'urn:ietf:params:netconf:base:1.0';
const BASE_11 = 'urn:ietf:params:netconf:base:1.1';
const hello = (caps: string[]): string =>
  `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>${caps.map((c) => `<capability>${c}</capability>`).join('')}</capabilities></hello>`;
const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

/** A session on a fake channel that records what is written, after the client hello. */
async function open(clientCaps: string[]) {
  const channel = Object.assign(new EventEmitter(), {
    writes: [] as Buffer[],
    write(d: Buffer) {
      this.writes.push(Buffer.from(d));
      return true;
    },
    end: () => undefined,
  });
  const dispatcher: RpcDispatcher = { dispatch: () => Promise.resolve('<ok/>'), replyDelay: () => 0 };
  const sent: (string | undefined)[] = [];
  const session = new ServerSession(
    7,
    channel as unknown as ServerChannel,
    [BASE_10, BASE_11],
    dispatcher,
    (_s, dep) => sent.push(dep),
    () => undefined,
    silentLog,
  );
  channel.emit('data', encodeFrame(hello(clientCaps), 'eom'));
  await nextTick();
  const wire = (): Buffer => Buffer.concat(channel.writes);
  return { session, channel, sent, wire };
}

/** The messages on the wire: the server hello (end-of-message framing), then the rest in `mode`. */
function messages(wire: Buffer, mode: 'eom' | 'chunked'): string[] {
  const decoder = new FrameDecoder();
  decoder.push(wire);
  const out = [decoder.next()!];
  decoder.mode = mode;
  for (let m = decoder.next(); m !== undefined; m = decoder.next()) out.push(m);
  decoder.end();
  return out;
}

describe('ServerSession notifications', () => {
  const sizes = [1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 70000];
  /** Messages of exactly these many bytes (the larger ones with a two-byte character), around digit-count boundaries. */
  const bodies = sizes.map((n) => (n < 60 ? 'x'.repeat(n) : `${XML_DECL}<n>\u00e9${'a'.repeat(n - Buffer.byteLength(XML_DECL) - 9)}</n>`));

  it('when notifications of many sizes are sent in one turn under base:1.1, then they go out in one write, one chunk each', async () => {
    const { session, channel, sent, wire } = await open([BASE_10, BASE_11]);
    const writesBefore = channel.writes.length;
    bodies.forEach((b, i) => session.sendNotificationMessage(Buffer.from(b, 'utf8'), `d${i}`));
    await nextTick();
    expect(channel.writes.length - writesBefore).toBe(1);
    expect(messages(wire(), 'chunked').slice(1)).toEqual(bodies);
    expect(Buffer.concat(bodies.map((b) => encodeFrame(b, 'chunked'))).equals(channel.writes[channel.writes.length - 1])).toBe(true);
    expect(bodies.map((b) => Buffer.byteLength(b))).toEqual(sizes);
    expect(sent).toEqual([undefined, ...sizes.map((_, i) => `d${i}`)]); // the hello first
    expect(session.sentMessages).toBe(1 + sizes.length);
  });

  it('when notifications are sent under base:1.0, then they go out with end-of-message framing', async () => {
    const { session, wire } = await open([BASE_10]);
    bodies.slice(0, 4).forEach((b) => session.sendNotificationMessage(Buffer.from(b, 'utf8'), undefined));
    await nextTick();
    expect(messages(wire(), 'eom').slice(1)).toEqual(bodies.slice(0, 4));
  });

  it('when the session is closed with notifications queued, then they are written before the channel ends', async () => {
    const { session, wire } = await open([BASE_10, BASE_11]);
    session.sendNotificationMessage(Buffer.from(bodies[2], 'utf8'), undefined);
    session.close();
    session.sendNotificationMessage(Buffer.from(bodies[3], 'utf8'), undefined);
    await nextTick();
    expect(messages(wire(), 'chunked').slice(1)).toEqual([bodies[2]]);
    expect(session.isOpen).toBe(false);
  });
});
