import { deploymentPath } from '../src/esc/mapping/edit-builders';
/**
 * NETCONF client throughput on one session, against each peer in turn:
 *  - sequential <get> round trips per second (one rpc in flight);
 *  - pipelined <get> round trips per second (256 rpcs in flight);
 *  - notifications parsed per second: a real notification captured from the peer (a VM_ALIVE escEvent from the
 *    ESC simulator, a config-change notification from netconfd) is replayed through the same receive path
 *    (framing decoder, XML parse, dispatch) over an in-memory transport.
 * Targets: ≥ 5,000 pipelined rpc/s and ≥ 20,000 notifications parsed/s, for every peer.
 * Peers:
 *  - the project's ESC simulator, in a process of its own (src/simulator/cli.ts, zero delays);
 *  - a NETCONF server given by NETCONF_HOST/NETCONF_PORT/NETCONF_USER/NETCONF_PASS (+ NETCONF_KNOWN_HOSTS) when
 *    set; otherwise a private yuma123 netconfd behind its own sshd (needs root and test/interop/install-peers.sh).
 *    When netconfd is not installed, or this is not root, that part is reported as skipped.
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
import { xml, type XmlNode } from '../src/xml';
import { missingPeerPackages, startNetconfdPeer, stopNetconfdPeer } from '../test/interop/netconfd/netconfd-peer';
import { atLeast, emitBenchResult, metricsTable, type BenchMetric, type SkippedPart } from './lib/bench-result';
import { startSimulatorChild } from './lib/simulator-child';

const ESC_NS = 'http://www.cisco.com/esc/esc';
const SMALL_FILTER = {
  type: 'subtree' as const,
  content: `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>bench</name></tenant></tenants></esc_datamodel>`,
};
export const WINDOW = 256;
export const PIPELINED_TARGET = 5000;
export const NOTIFICATION_TARGET = 20_000;

/** A peer to measure against. */
interface Peer {
  /** Short name used in metric names, e.g. "ESC simulator". */
  name: string;
  /** Where it runs, for the human-readable lines. */
  where: string;
  opts: NetconfConnectOptions;
  /** Captures one real notification from the peer (raw XML). */
  capture(opts: NetconfConnectOptions): Promise<string>;
  stop(): Promise<void>;
}

/** What was measured against one peer. */
export interface PeerFigures {
  sequential: number;
  pipelined: number;
  notifications: number;
}

/** Sizes of the runs: rpcs one at a time, rpcs pipelined, notifications replayed. */
export interface Counts {
  sequential: number;
  pipelined: number;
  notifications: number;
}

/** Reads the optional positional counts; throws on anything that is not a positive integer. */
export function parseCounts(args: readonly string[]): Counts {
  const defaults = [2000, 20_000, 100_000] as const;
  const [sequential, pipelined, notifications] = defaults.map((d, i) => {
    const raw = args[i];
    const n = raw === undefined ? d : Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000)
      throw new Error(`count #${i + 1} must be an integer in [1, 10000000], got "${raw}"`);
    return n;
  }) as [number, number, number];
  return { sequential, pipelined, notifications };
}

/** The figures of one peer as metrics, the pipelined and notification rates against their targets. */
export function peerMetrics(peer: string, f: PeerFigures): BenchMetric[] {
  return [
    { metric: `${peer}: sequential get`, value: Math.round(f.sequential), unit: 'rpc/s' },
    atLeast(`${peer}: pipelined get (${WINDOW} in flight)`, Math.round(f.pipelined), 'rpc/s', PIPELINED_TARGET),
    atLeast(`${peer}: notifications parsed`, Math.round(f.notifications), 'notifications/s', NOTIFICATION_TARGET),
  ];
}

/**
 * Why the private netconfd peer cannot run here, or undefined when it can: `missing` are the Debian packages
 * whose binaries are absent, `uid` this process's user id (the peer's start script needs root).
 */
export function netconfdSkipReason(missing: readonly string[], uid: number | undefined): string | undefined {
  if (missing.length > 0) return `${missing.join(', ')} not installed (test/interop/install-peers.sh)`;
  if (uid !== undefined && uid !== 0) return 'starting the private sshd + netconfd needs root';
  return undefined;
}

function deploymentConfig(tenant: string, dep: string): XmlNode {
  return deploymentPath(tenant, {}, [
    xml('name', {}, dep),
    xml(
      'vm_group',
      {},
      xml('name', {}, 'vmg-1'),
      xml('image', {}, 'bench-image'),
      xml('flavor', {}, 'm1.small'),
      xml('interfaces', {}, xml('interface', {}, xml('nicid', {}, 0), xml('network', {}, 'esc-net'))),
      xml('scaling', {}, xml('min_active', {}, 1), xml('max_active', {}, 1), xml('elastic', {}, 'true')),
    ),
  ]);
}

/** Subscribes on one session, makes a change on a second one and returns the first notification `wanted` accepts. */
async function captureNotification(opts: NetconfConnectOptions, config: XmlNode, wanted: (raw: string) => boolean): Promise<string> {
  const sub = await NetconfSession.connect(opts);
  let editor: NetconfSession | undefined;
  try {
    await sub.createSubscription();
    const got = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no notification within 10 s')), 10_000);
      sub.on('notification', (n: NetconfNotification) => {
        if (!wanted(n.raw)) return;
        clearTimeout(timer);
        resolve(n.raw);
      });
    });
    editor = await NetconfSession.connect(opts);
    await editor.editConfig({ target: 'running', config });
    return await got;
  } finally {
    await Promise.all([editor?.close(), sub.close()]);
  }
}

async function simulatorPeer(): Promise<Peer> {
  const sim = await startSimulatorChild();
  const opts = { host: sim.host, port: sim.port, username: sim.username, password: sim.password, knownHostsPath: sim.knownHostsPath };
  return {
    name: 'ESC simulator',
    where: `ESC simulator in its own process on ${sim.host}:${sim.port}`,
    opts,
    capture: (o) => captureNotification(o, deploymentConfig('bench', `dep-${Date.now()}`), (raw) => raw.includes('<type>VM_ALIVE</type>')),
    stop: () => sim.stop(),
  };
}

const tenantChange = (): XmlNode =>
  xml('esc_datamodel', { xmlns: ESC_NS }, xml('tenants', {}, xml('tenant', {}, xml('name', {}, `bench-${Date.now()}`))));

/** The peer named by NETCONF_* variables, a private netconfd, or the reason why neither can be measured. */
async function secondPeer(): Promise<Peer | SkippedPart> {
  const e = process.env;
  if (e.NETCONF_HOST && e.NETCONF_PORT && e.NETCONF_USER) {
    const opts = {
      host: e.NETCONF_HOST,
      port: Number(e.NETCONF_PORT),
      username: e.NETCONF_USER,
      password: e.NETCONF_PASS,
      knownHostsPath: e.NETCONF_KNOWN_HOSTS,
    };
    const where = `NETCONF server at ${e.NETCONF_HOST}:${e.NETCONF_PORT}`;
    return {
      name: 'NETCONF server',
      where,
      opts,
      capture: (o) => captureNotification(o, tenantChange(), () => true),
      stop: () => Promise.resolve(),
    };
  }
  const reason = netconfdSkipReason(missingPeerPackages(), process.getuid?.());
  if (reason) return { part: 'netconfd peer', reason };
  const peer = await startNetconfdPeer();
  const dir = await mkdtemp(join(tmpdir(), 'netconf-bench-'));
  const [type, key] = peer.hostKeyLine.split(/\s+/);
  await writeFile(join(dir, 'known_hosts'), `[${peer.host}]:${peer.port} ${type} ${key}\n`);
  const opts = {
    host: peer.host,
    port: peer.port,
    username: peer.username,
    password: peer.password,
    knownHostsPath: join(dir, 'known_hosts'),
  };
  const stop = async (): Promise<void> => {
    await stopNetconfdPeer(peer.runDir);
    await rm(dir, { recursive: true, force: true });
  };
  return {
    name: 'netconfd',
    where: `private yuma123 netconfd on 127.0.0.1:${peer.port}`,
    opts,
    capture: (o) => captureNotification(o, tenantChange(), () => true),
    stop,
  };
}

const secondsSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

async function sequential(s: NetconfSession, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await s.get({ filter: SMALL_FILTER });
  return n / secondsSince(t0);
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
  return n / secondsSince(t0);
}

/** Replays `raw` at least n times in 2 KB reads through a session's receive path. */
async function notificationsParsed(raw: string, n: number): Promise<number> {
  let handlers: TransportHandlers | undefined;
  const transport: NetconfTransport = {
    start: (h) => (handlers = h),
    write: () => undefined,
    end: () => handlers?.closed(),
    destroy: () => handlers?.closed(),
  };
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
  const rate = count / secondsSince(t0);
  session.destroy();
  return rate;
}

async function measure(peer: Peer, counts: Counts): Promise<PeerFigures> {
  const s = await NetconfSession.connect({ ...peer.opts, rpcTimeoutMs: 60_000 });
  let framing: string;
  let figures: Omit<PeerFigures, 'notifications'>;
  try {
    await pipelined(s, 200); // warm-up
    figures = { sequential: await sequential(s, counts.sequential), pipelined: await pipelined(s, counts.pipelined) };
    framing = s.framing;
  } finally {
    await s.close();
  }
  const raw = await peer.capture(peer.opts);
  const notifications = await notificationsParsed(raw, counts.notifications);
  const mark = (v: number, min: number): string => `target ≥ ${min.toLocaleString('en-US')}: ${v >= min ? 'PASS' : 'MISS'}`;
  console.log(`peer: ${peer.where}; framing ${framing}; reply to a small <get>; notification of ${Buffer.byteLength(raw)} bytes`);
  console.log(`  sequential get:       ${figures.sequential.toFixed(0)} rpc/s (${counts.sequential} rpcs, 1 in flight)`);
  console.log(
    `  pipelined get:        ${figures.pipelined.toFixed(0)} rpc/s (${counts.pipelined} rpcs, ${WINDOW} in flight; ${mark(figures.pipelined, PIPELINED_TARGET)})`,
  );
  console.log(
    `  notifications parsed: ${notifications.toFixed(0)} /s (${counts.notifications} replayed in 2 KB reads; ${mark(notifications, NOTIFICATION_TARGET)})`,
  );
  return { ...figures, notifications };
}

async function main(): Promise<void> {
  const counts = parseCounts(process.argv.slice(2));
  const metrics: BenchMetric[] = [];
  const skippedParts: SkippedPart[] = [];
  const sim = await simulatorPeer();
  try {
    metrics.push(...peerMetrics(sim.name, await measure(sim, counts)));
  } finally {
    await sim.stop();
  }
  const other = await secondPeer();
  if ('reason' in other) {
    console.log(`${other.part}: skipped, ${other.reason}`);
    skippedParts.push(other);
  } else {
    try {
      metrics.push(...peerMetrics(other.name, await measure(other, counts)));
    } finally {
      await other.stop();
    }
  }
  console.log(metricsTable(metrics));
  emitBenchResult({ name: 'netconf-rpc', metrics, ...(skippedParts.length > 0 ? { skippedParts } : {}) });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
