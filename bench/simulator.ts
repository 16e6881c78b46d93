/**
 * Simulator benchmark: escEvents per second on one subscribed session with zero delays, and
 * deploy+undeploy cycles per second for 1,000 deployments over 10 concurrent sessions.
 * Run: node --import tsx bench/simulator.ts  (client and server share this process)
 */
import { Client, type ClientChannel } from 'ssh2';
import { FrameDecoder, encodeFrame, type FramingMode } from '../src/netconf/framing';
import { startSimulator } from '../src/simulator';

const HELLO = '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>';
const RPC = (id: number, body: string): string => `<rpc message-id="${id}" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${body}</rpc>`;
const SUBSCRIBE = '<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"/>';

function deployBody(tenant: string, dep: string, vms: number): string {
  return `<edit-config><target><running/></target><config><esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>${tenant}</name><deployments><deployment><name>${dep}</name>` +
    `<vm_group><name>g</name><interfaces><interface><nicid>0</nicid><network>esc-net</network></interface></interfaces><scaling><min_active>${vms}</min_active><max_active>${vms}</max_active><elastic>true</elastic></scaling></vm_group>` +
    '</deployment></deployments></tenant></tenants></esc_datamodel></config></edit-config>';
}

function undeployBody(tenant: string, dep: string): string {
  return `<edit-config xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target><config><esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>${tenant}</name><deployments><deployment nc:operation="delete"><name>${dep}</name></deployment></deployments></tenant></tenants></esc_datamodel></config></edit-config>`;
}

/** A lean client: counts replies and notifications (by marker) without parsing XML. */
class CountingClient {
  replies = 0;
  events = new Map<string, number>();
  private mode: FramingMode = 'eom';
  private readonly decoder = new FrameDecoder();
  private hello = false;
  private wait?: { check: () => boolean; done: () => void };
  private nextId = 1;
  private constructor(private readonly conn: Client, private readonly ch: ClientChannel) {}

  static async open(port: number): Promise<CountingClient> {
    const conn = new Client();
    const ch = await new Promise<ClientChannel>((resolve, reject) => {
      conn.on('error', reject).on('ready', () => conn.subsys('netconf', (e, c) => (e ? reject(e) : resolve(c))));
      conn.connect({ host: '127.0.0.1', port, username: 'admin', password: 'admin' });
    });
    const c = new CountingClient(conn, ch);
    ch.on('data', (d: Buffer) => c.onData(d));
    ch.write(encodeFrame(HELLO, 'eom'));
    await c.until(() => c.hello);
    return c;
  }

  private onData(d: Buffer): void {
    this.decoder.push(d);
    for (let m = this.decoder.next(); m !== undefined; m = this.decoder.next()) {
      if (!this.hello) {
        this.hello = true;
        this.mode = 'chunked';
        this.decoder.mode = 'chunked';
      } else if (m.includes('<notification')) {
        const type = /<event><type>([A-Z_]+)</.exec(m)?.[1] ?? '?';
        this.events.set(type, (this.events.get(type) ?? 0) + 1);
      } else this.replies++;
    }
    if (this.wait?.check()) this.wait.done();
  }

  count(type: string): number {
    return this.events.get(type) ?? 0;
  }

  until(check: () => boolean, timeoutMs = 120_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('benchmark timed out')), timeoutMs);
      this.wait = { check, done: () => (clearTimeout(t), (this.wait = undefined), resolve()) };
    });
  }

  send(body: string): void {
    this.ch.write(encodeFrame(RPC(this.nextId++, body), this.mode));
  }

  close(): void {
    this.conn.end();
  }
}

async function eventsPerSecond(port: number): Promise<number> {
  const sub = await CountingClient.open(port);
  const ops = await CountingClient.open(port);
  sub.send(SUBSCRIBE);
  await sub.until(() => sub.replies === 1);
  const deployments = 100;
  const vms = 100;
  const expected = deployments * (2 * vms + 1) + 1; // VM_DEPLOYED + VM_ALIVE per VM, SERVICE_ALIVE, one CREATE_TENANT
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < deployments; i++) ops.send(deployBody('bench-ev', `ev-${i}`, vms));
  await sub.until(() => [...sub.events.values()].reduce((a, b) => a + b, 0) >= expected);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  sub.close();
  ops.close();
  return expected / s;
}

async function cyclesPerSecond(port: number, total: number, sessions: number): Promise<{ rate: number; seconds: number }> {
  const sub = await CountingClient.open(port);
  sub.send(SUBSCRIBE);
  await sub.until(() => sub.replies === 1);
  const clients = await Promise.all(Array.from({ length: sessions }, () => CountingClient.open(port)));
  const per = total / sessions;
  const t0 = process.hrtime.bigint();
  clients.forEach((c, s) => {
    for (let i = 0; i < per; i++) c.send(deployBody('bench-cyc', `cyc-${s}-${i}`, 1));
  });
  await sub.until(() => sub.count('SERVICE_ALIVE') >= total);
  clients.forEach((c, s) => {
    for (let i = 0; i < per; i++) c.send(undeployBody('bench-cyc', `cyc-${s}-${i}`));
  });
  await sub.until(() => sub.count('SERVICE_UNDEPLOYED') >= total);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  sub.close();
  clients.forEach((c) => c.close());
  return { rate: total / seconds, seconds };
}

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  try {
    const eps = await eventsPerSecond(sim.port);
    console.log(`events/s emitted with zero delays on one session: ${Math.round(eps)} (target >= 20000)`);
    const { rate, seconds } = await cyclesPerSecond(sim.port, 1000, 10);
    console.log(`deploy+undeploy cycles/s for 1000 deployments over 10 sessions: ${rate.toFixed(1)} (${seconds.toFixed(2)} s)`);
  } finally {
    await sim.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
