import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Server, type Connection } from 'ssh2';
import { silentLog } from '../logging/log';
import { BASE_10, BASE_11, CAP_NOTIFICATION, CAP_WRITABLE_RUNNING } from '../netconf/namespaces';
import { EscEngine } from './esc-engine';
import { encodeEscEventMessage, type EscEvent } from './esc-event-writer';
import { FaultBook } from './fault-book';
import { loadHostKey } from './host-key';
import { StateFile } from './state-file';
import { SimulatorRpcDispatcher } from './rpc-dispatcher';
import { ServerSession } from './server-session';
import { handleAdminRpc } from './admin-rpc';
import { startAdminHttp, type AdminHttp } from './admin-http';
import type { RunningSimulator, SimulatorDelays, SimulatorOptions, SimulatorSnapshot, SimulatorUser } from './simulator-types';

/** Capabilities as ESC advertises them (guide, "NETCONF Capabilities"): no :candidate, no :interleave. */
export const SIMULATOR_CAPABILITIES = [
  BASE_10,
  BASE_11,
  CAP_WRITABLE_RUNNING,
  CAP_NOTIFICATION,
  'urn:ietf:params:xml:ns:netmod:notification?module=nc-notifications&revision=2008-07-14',
  'http://www.cisco.com/esc/esc?module=esc&revision=2016-05-04',
];

/** All-zero delays. */
export const ZERO_DELAYS: SimulatorDelays = {
  tenant: 0,
  network: 0,
  vmDeployed: 0,
  vmAlive: 0,
  vmUndeployed: 0,
  vmAction: 0,
  recovery: 0,
  service: 0,
};

function checkPassword(users: SimulatorUser[], username: string, password: string): boolean {
  const given = Buffer.from(password);
  return users.some((u) => {
    const want = Buffer.from(u.password);
    return u.username === username && want.length === given.length && timingSafeEqual(want, given);
  });
}

/**
 * Starts the ESC simulator: a NETCONF-over-SSH server (subsystem "netconf") on `host:port` that
 * answers like ESC (ESC NETCONF API guide) and reports activations as escEvent notifications.
 */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = opts.log ?? silentLog;
  const users = opts.users ?? [{ username: 'admin', password: 'admin' }];
  const hostKey = loadHostKey(opts);
  const faults = new FaultBook();
  faults.set(opts.faults ?? []);
  const sessions = new Set<ServerSession>();
  const connections = new Set<Connection>();
  let eventsSent = 0;
  let nextSessionId = 1;

  const emit = (e: EscEvent): void => {
    let message: Buffer | undefined;
    for (const s of sessions) {
      if (!s.subscribed) continue;
      message ??= encodeEscEventMessage(e, Date.now());
      s.sendNotificationMessage(message, e.depname);
    }
    eventsSent++;
  };
  const engine = new EscEngine({ ...ZERO_DELAYS, ...opts.delays }, faults, emit, opts.vimConnectors);
  // ESC's state outlives a restart (its database): kept next to the host key when there is a data directory.
  const stateFile = opts.dataDir === undefined ? undefined : new StateFile(opts.dataDir, engine, log);
  if (stateFile) {
    const interrupted = stateFile.load();
    engine.onChange = () => stateFile.changed();
    engine.resumeActivations(interrupted);
  }
  const startedAt = Date.now();
  const dispatcher = new SimulatorRpcDispatcher({ engine, faults, startedAt, admin: (op) => handleAdminRpc(op, faults, engine) });

  const onSent = (s: ServerSession, deployment: string | undefined): void => {
    const rule = faults.dropAfter(deployment);
    if (!rule || s.sentMessages < (rule.messages ?? 1)) return;
    faults.consume(rule);
    log.info('fault drop-after: dropping connection', { session: s.id });
    setImmediate(() => s.close());
    const conn = connOf.get(s);
    if (conn) setImmediate(() => conn.end());
  };
  const connOf = new WeakMap<ServerSession, Connection>();

  let downUntil = 0;
  const server = new Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    if (Date.now() < downUntil) {
      // Down (ESC restarting): the TCP connection is taken and closed before any SSH exchange.
      client.on('error', () => undefined);
      client.end();
      return;
    }
    connections.add(client);
    client.on('error', (err) => log.debug('ssh connection error', { error: err.message }));
    client.on('close', () => connections.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && checkPassword(users, ctx.username, ctx.password)) return ctx.accept();
      ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const sshSession = accept();
        sshSession.on('subsystem', (acceptSub, rejectSub, info) => {
          if (info.name !== 'netconf') return rejectSub();
          const channel = acceptSub();
          const s = new ServerSession(
            nextSessionId++,
            channel,
            SIMULATOR_CAPABILITIES,
            dispatcher,
            onSent,
            (closed) => {
              sessions.delete(closed);
              dispatcher.sessionClosed(closed);
            },
            log,
          );
          connOf.set(s, client);
          sessions.add(s);
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  let admin: AdminHttp | undefined;

  const snapshot = (): SimulatorSnapshot => ({
    tenants: [...engine.state.tenants.values()].map((t) => ({ name: t.name, tenantId: t.tenantId })),
    deployments: [...engine.state.tenants.values()].flatMap((t) =>
      [...t.deployments.values()].map((d) => ({
        tenant: d.tenant,
        name: d.name,
        deploymentId: d.deploymentId,
        depId: d.depId,
        state: d.state,
        busy: d.busy,
        vms: d.vms.map((v) => ({
          vmId: v.vmId,
          name: v.name,
          vmGroup: v.group,
          hostname: v.hostname,
          state: v.state,
          ipAddresses: v.interfaces.map((i) => i.ip),
        })),
      })),
    ),
    networks: [...engine.state.tenants.values()].flatMap((t) =>
      [...t.networks.values()].map((n) => ({ tenant: t.name, name: n.name, subnet: n.subnetName, deployment: n.ephemeralOf })),
    ),
    sessions: sessions.size,
    subscribers: [...sessions].filter((s) => s.subscribed).length,
    eventsSent,
  });
  const dropConnections = (): void => {
    for (const s of [...sessions]) s.close();
    for (const c of [...connections]) c.end();
  };
  const sim: RunningSimulator = {
    host: addr.address,
    port: addr.port,
    hostKeyFingerprint: hostKey.fingerprint,
    hostPublicKey: hostKey.publicKey,
    setFaults: (rules) => faults.set(rules),
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    snapshot,
    killVm: (vm, outcome) => engine.killVm(vm, outcome),
    elasticScale: (direction, t, outcome) => engine.elasticScale(direction, t.tenant, t.deployment, t.vmGroup, outcome),
    dropConnections,
    goDown: (ms) => {
      downUntil = Date.now() + ms;
      dropConnections();
    },
    stop: async () => {
      engine.stop();
      stateFile?.close();
      await admin?.close();
      dropConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (opts.adminPort !== undefined) {
    admin = await startAdminHttp(sim, faults, opts.adminPort);
    sim.adminPort = admin.port;
  }
  log.info('ESC simulator listening', { host: sim.host, port: sim.port, fingerprint: sim.hostKeyFingerprint });
  return sim;
}
