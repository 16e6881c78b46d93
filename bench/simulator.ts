/**
 * Simulator benchmark, with the ESC simulator in a process of its own (src/simulator/cli.ts, zero delays) and a
 * lean client here that counts replies and notifications without parsing XML:
 *  - escEvents per second on one subscribed session: 100 deployments of 100 VMs each sent at once into a new
 *    tenant (VM_DEPLOYED + VM_ALIVE per VM, SERVICE_ALIVE per deployment, one CREATE_TENANT); after a warm-up
 *    round, the median of 3 rounds; target ≥ 20,000/s;
 *  - deploy+undeploy cycles per second for 1,000 one-VM deployments over 10 concurrent sessions.
 * Run: npx tsx bench/simulator.ts
 */
import { Client, type ClientChannel } from 'ssh2';
import { FrameDecoder, encodeFrame, type FramingMode } from '../src/netconf/framing';
import { atLeast, emitBenchResult, metricsTable, type BenchMetric } from './lib/bench-result';
import { median } from './lib/percentiles';
import { startSimulatorChild, type SimulatorChild } from './lib/simulator-child';

export const EVENTS_TARGET = 20_000;
const EVENT_DEPLOYMENTS = 100;
const EVENT_VMS = 100;
const EVENT_ROUNDS = 3;
const CYCLES = 1000;
const CYCLE_SESSIONS = 10;

/**
 * escEvents a subscriber receives when `deployments` deployments of `vms` VMs each (no networks of their own) are
 * deployed into one new tenant: VM_DEPLOYED and VM_ALIVE per VM, SERVICE_ALIVE per deployment, one CREATE_TENANT.
 */
export function expectedDeployEvents(deployments: number, vms: number): number {
  return deployments * (2 * vms + 1) + 1;
}

/** The escEvent type of a notification message (`<event><type>VM_ALIVE</type>`), or '?' when it has none. */
export function eventTypeOf(message: string): string {
  return /<event><type>([A-Z_]+)<\/type>/.exec(message)?.[1] ?? '?';
}

/** The figures as metrics; the event rate against its target. */
export function simulatorMetrics(eventsPerSecond: number, cyclesPerSecond: number): BenchMetric[] {
  return [
    atLeast('escEvents/s on one session (zero delays)', Math.round(eventsPerSecond), 'events/s', EVENTS_TARGET),
    {
      metric: `deploy+undeploy cycles/s (${CYCLES.toLocaleString('en-US')} deployments, ${CYCLE_SESSIONS} sessions)`,
      value: Number(cyclesPerSecond.toFixed(1)),
      unit: 'cycles/s',
    },
  ];
}

const HELLO =
  '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>';
const RPC = (id: number, body: string): string => `<rpc message-id="${id}" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${body}</rpc>`;
const SUBSCRIBE = '<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"/>';

function deployBody(tenant: string, dep: string, vms: number): string {
  return (
    `<edit-config><target><running/></target><config><esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>${tenant}</name><deployments><deployment><name>${dep}</name>` +
    `<vm_group><name>g</name><interfaces><interface><nicid>0</nicid><network>esc-net</network></interface></interfaces><scaling><min_active>${vms}</min_active><max_active>${vms}</max_active><elastic>true</elastic></scaling></vm_group>` +
    '</deployment></deployments></tenant></tenants></esc_datamodel></config></edit-config>'
  );
}

function undeployBody(tenant: string, dep: string): string {
  return `<edit-config xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><target><running/></target><config><esc_datamodel xmlns="http://www.cisco.com/esc/esc"><tenants><tenant><name>${tenant}</name><deployments><deployment nc:operation="delete"><name>${dep}</name></deployment></deployments></tenant></tenants></esc_datamodel></config></edit-config>`;
}

/** A lean client: counts replies and notifications (by marker) without parsing XML. */
class CountingClient {
  replies = 0;
  totalEvents = 0;
  /** The first <rpc-error> reply, which ends every wait: the bench would otherwise wait for events that never come. */
  failure?: string;
  events = new Map<string, number>();
  private mode: FramingMode = 'eom';
  private readonly decoder = new FrameDecoder();
  private hello = false;
  private wait?: { check: () => boolean; done: () => void; fail: (err: Error) => void };
  private nextId = 1;
  private constructor(
    private readonly conn: Client,
    private readonly ch: ClientChannel,
  ) {}

  static async open(sim: SimulatorChild): Promise<CountingClient> {
    const conn = new Client();
    const ch = await new Promise<ClientChannel>((resolve, reject) => {
      conn.on('error', reject).on('ready', () => conn.subsys('netconf', (e, c) => (e ? reject(e) : resolve(c))));
      conn.connect({ host: sim.host, port: sim.port, username: sim.username, password: sim.password });
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
        const type = eventTypeOf(m);
        this.events.set(type, (this.events.get(type) ?? 0) + 1);
        this.totalEvents++;
      } else {
        this.replies++;
        if (this.failure === undefined && m.includes('<rpc-error')) this.failure = m;
      }
    }
    if (this.failure !== undefined) this.wait?.fail(new Error(`the simulator answered with an rpc-error: ${this.failure}`));
    else if (this.wait?.check()) this.wait.done();
  }

  count(type: string): number {
    return this.events.get(type) ?? 0;
  }

  until(check: () => boolean, timeoutMs = 120_000): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(new Error(`the simulator answered with an rpc-error: ${this.failure}`));
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const end = (): void => {
        clearTimeout(t);
        this.wait = undefined;
      };
      const t = setTimeout(() => (end(), reject(new Error('benchmark timed out'))), timeoutMs);
      this.wait = { check, done: () => (end(), resolve()), fail: (err) => (end(), reject(err)) };
    });
  }

  send(body: string): void {
    this.ch.write(encodeFrame(RPC(this.nextId++, body), this.mode));
  }

  close(): void {
    this.conn.end();
  }
}

/** Deploys `deployments` deployments of `vms` VMs into the new tenant `tenant` at once; escEvents/s seen by a subscriber. */
async function eventsPerSecond(sim: SimulatorChild, tenant: string, deployments: number, vms: number): Promise<number> {
  const sub = await CountingClient.open(sim);
  const ops = await CountingClient.open(sim);
  try {
    sub.send(SUBSCRIBE);
    await sub.until(() => sub.replies === 1);
    const expected = expectedDeployEvents(deployments, vms);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < deployments; i++) ops.send(deployBody(tenant, `ev-${i}`, vms));
    await Promise.all([sub.until(() => sub.totalEvents >= expected), ops.until(() => ops.replies === deployments)]);
    return expected / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    sub.close();
    ops.close();
  }
}

async function cyclesPerSecond(sim: SimulatorChild, total: number, sessions: number): Promise<{ rate: number; seconds: number }> {
  const sub = await CountingClient.open(sim);
  sub.send(SUBSCRIBE);
  await sub.until(() => sub.replies === 1);
  const clients = await Promise.all(Array.from({ length: sessions }, () => CountingClient.open(sim)));
  const per = total / sessions;
  const t0 = process.hrtime.bigint();
  clients.forEach((c, s) => {
    for (let i = 0; i < per; i++) c.send(deployBody('bench-cyc', `cyc-${s}-${i}`, 1));
  });
  await Promise.all([sub.until(() => sub.count('SERVICE_ALIVE') >= total), ...clients.map((c) => c.until(() => c.replies >= per))]);
  clients.forEach((c, s) => {
    for (let i = 0; i < per; i++) c.send(undeployBody('bench-cyc', `cyc-${s}-${i}`));
  });
  await Promise.all([
    sub.until(() => sub.count('SERVICE_UNDEPLOYED') >= total),
    ...clients.map((c) => c.until(() => c.replies >= 2 * per)),
  ]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  sub.close();
  clients.forEach((c) => c.close());
  return { rate: total / seconds, seconds };
}

async function main(): Promise<void> {
  const sim = await startSimulatorChild();
  let metrics: BenchMetric[];
  try {
    await eventsPerSecond(sim, 'bench-warm-up', EVENT_DEPLOYMENTS / 5, EVENT_VMS); // warm-up, not counted
    const rounds: number[] = [];
    for (let r = 1; r <= EVENT_ROUNDS; r++) rounds.push(await eventsPerSecond(sim, `bench-ev-${r}`, EVENT_DEPLOYMENTS, EVENT_VMS));
    const eps = median(rounds);
    console.log(
      `escEvents/s emitted with zero delays on one session: ${Math.round(eps)}, median of ${EVENT_ROUNDS} rounds ` +
        `(${rounds.map((x) => Math.round(x)).join(', ')}) of ${expectedDeployEvents(EVENT_DEPLOYMENTS, EVENT_VMS)} events; ` +
        `target ≥ ${EVENTS_TARGET}: ${eps >= EVENTS_TARGET ? 'PASS' : 'MISS'}`,
    );
    const { rate, seconds } = await cyclesPerSecond(sim, CYCLES, CYCLE_SESSIONS);
    console.log(
      `deploy+undeploy cycles/s for ${CYCLES} deployments over ${CYCLE_SESSIONS} sessions: ${rate.toFixed(1)} (${seconds.toFixed(2)} s)`,
    );
    metrics = simulatorMetrics(eps, rate);
  } finally {
    await sim.stop();
  }
  console.log(metricsTable(metrics));
  emitBenchResult({ name: 'simulator', metrics });
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  });
}
