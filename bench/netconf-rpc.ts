/**
 * NETCONF client throughput on one session:
 *  - sequential <get> round trips per second (one rpc in flight);
 *  - pipelined <get> round trips per second (many rpcs in flight);
 *  - notifications parsed per second: a real notification captured from the peer is replayed
 *    through the same receive path (framing decoder, XML parse, dispatch) over an in-memory transport.
 * Target: NETCONF_HOST/NETCONF_PORT/NETCONF_USER/NETCONF_PASS (+ NETCONF_KNOWN_HOSTS) when set;
 * otherwise a private netconfd peer is started (needs root and test/interop/install-peers.sh).
 * Usage: npx tsx bench/netconf-rpc.ts [sequentialCount] [pipelinedCount] [notificationCount]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from '../src/netconf/framing';
import { buildHello } from '../src/netconf/hello';
import { BASE_10, BASE_11 } from '../src/netconf/namespaces';
import { NetconfSession, type NetconfConnectOptions } from '../src/netconf/netconf-session';
import type { NetconfNotification } from '../src/netconf/reply-parser';
import type { NetconfTransport, TransportHandlers } from '../src/netconf/transport';
import { xml } from '../src/xml';
import { startNetconfdPeer, stopNetconfdPeer } from '../test/interop/netconfd/netconfd-peer';

const ESC_NS = 'http://www.cisco.com/esc/esc';
const SMALL_FILTER = { type: 'subtree' as const, content: `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>bench</name></tenant></tenants></esc_datamodel>` };
const WINDOW = 256;

async function target(): Promise<{ opts: NetconfConnectOptions; stop(): Promise<void>; label: string }> {
  const e = process.env;
  if (e.NETCONF_HOST && e.NETCONF_PORT && e.NETCONF_USER) {
    const opts = { host: e.NETCONF_HOST, port: Number(e.NETCONF_PORT), username: e.NETCONF_USER, password: e.NETCONF_PASS, knownHostsPath: e.NETCONF_KNOWN_HOSTS };
    return { opts, stop: async () => undefined, label: `${e.NETCONF_HOST}:${e.NETCONF_PORT}` };
  }
  const peer = await startNetconfdPeer();
  const dir = await mkdtemp(join(tmpdir(), 'netconf-bench-'));
  const [type, key] = peer.hostKeyLine.split(/\s+/);
  await writeFile(join(dir, 'known_hosts'), `[${peer.host}]:${peer.port} ${type} ${key}\n`);
  const opts = { host: peer.host, port: peer.port, username: peer.username, password: peer.password, knownHostsPath: join(dir, 'known_hosts') };
  const stop = async (): Promise<void> => {
    await stopNetconfdPeer(peer.runDir);
    await rm(dir, { recursive: true, force: true });
  };
  return { opts, stop, label: `private yuma123 netconfd on 127.0.0.1:${peer.port}` };
}

async function sequential(s: NetconfSession, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await s.get({ filter: SMALL_FILTER });
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function pipelined(s: NetconfSession, n: number): Promise<number> {
  let sent = 0;
  const t0 = process.hrtime.bigint();
  const lane = async (): Promise<void> => {
    while (sent < n) {
      sent++;
      await s.get({ filter: SMALL_FILTER });
    }
  };
  await Promise.all(Array.from({ length: Math.min(WINDOW, n) }, lane));
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Captures one real notification: subscribe, then change the config on a second session. */
async function captureNotification(opts: NetconfConnectOptions): Promise<string> {
  const sub = await NetconfSession.connect(opts);
  await sub.createSubscription();
  const got = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no notification within 10 s')), 10_000);
    sub.once('notification', (n: NetconfNotification) => (clearTimeout(timer), resolve(n.raw)));
  });
  const editor = await NetconfSession.connect(opts);
  const config = xml('esc_datamodel', { xmlns: ESC_NS }, xml('tenants', {}, xml('tenant', {}, xml('name', {}, `bench-${Date.now()}`))));
  await editor.editConfig({ target: 'running', config });
  const raw = await got;
  await Promise.all([editor.close(), sub.close()]);
  return raw;
}

/** Replays `raw` n times in ~2 KB reads through a session's receive path. */
async function notificationsParsed(raw: string, n: number): Promise<number> {
  let handlers: TransportHandlers | undefined;
  const transport: NetconfTransport = { start: (h) => (handlers = h), write: () => undefined, end: () => handlers?.closed(), destroy: () => handlers?.closed() };
  const opening = NetconfSession.open(transport, { helloTimeoutMs: 1000 });
  handlers!.data(encodeFrame(buildHello([BASE_10, BASE_11], 1), 'eom'));
  const session = await opening;
  const stream = Buffer.concat(Array.from({ length: 1000 }, () => encodeFrame(raw, 'chunked')));
  let count = 0;
  session.on('notification', () => count++);
  const t0 = process.hrtime.bigint();
  while (count < n) {
    for (let off = 0; off < stream.length; off += 2048) handlers!.data(stream.subarray(off, off + 2048));
  }
  const rate = count / (Number(process.hrtime.bigint() - t0) / 1e9);
  session.destroy();
  return rate;
}

async function main(): Promise<void> {
  const [seqN, pipeN, notifN] = [Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 20000), Number(process.argv[4] ?? 100000)];
  const t = await target();
  try {
    const s = await NetconfSession.connect({ ...t.opts, rpcTimeoutMs: 60_000 });
    await pipelined(s, 200); // warm-up
    const seq = await sequential(s, seqN);
    const pipe = await pipelined(s, pipeN);
    await s.close();
    const raw = await captureNotification(t.opts);
    const notif = await notificationsParsed(raw, notifN);
    console.log(`peer: ${t.label}; framing ${s.framing}; reply to a small <get>, notification of ${Buffer.byteLength(raw)} bytes`);
    console.log(`sequential get:      ${seq.toFixed(0)} rpc/s (${seqN} rpcs, 1 in flight)`);
    console.log(`pipelined get:       ${pipe.toFixed(0)} rpc/s (${pipeN} rpcs, ${WINDOW} in flight)`);
    console.log(`notifications parsed: ${notif.toFixed(0)} /s (${notifN} replayed in 2 KB reads)`);
  } finally {
    await t.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
