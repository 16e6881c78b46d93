import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploymentPath } from '../../../src/esc/mapping/edit-builders';
import { RpcError, type NetconfError } from '../../../src/netconf/errors';
import { hasCapability } from '../../../src/netconf/hello';
import { BASE_11, NETCONF_NOTIFICATIONS_NS } from '../../../src/netconf/namespaces';
import { NetconfSession, type NetconfConnectOptions } from '../../../src/netconf/netconf-session';
import type { NetconfNotification } from '../../../src/netconf/reply-parser';
import { pathOf, textOf, xml } from '../../../src/xml';
import { peerAvailability, startNetconfdPeer, stopNetconfdPeer, type NetconfdPeer } from './netconfd-peer';

const ESC_NS = 'http://www.cisco.com/esc/esc';
const availability = peerAvailability();
if (!availability.run) console.warn(`SKIPPED: ${availability.reason}`);
const describePeer = availability.run ? describe : describe.skip;

function deployment(tenant: string, dep: string, image: string, bootupTime: string | number = 300) {
  return deploymentPath(tenant, {}, [
    xml('name', {}, dep),
    xml(
      'vm_group',
      {},
      xml('name', {}, 'vmg-1'),
      xml('image', {}, image),
      xml('flavor', {}, 'm1.small'),
      xml('bootup_time', {}, bootupTime),
    ),
  ]);
}

describePeer('NetconfSession against yuma123 netconfd', () => {
  let peer: NetconfdPeer;
  let workDir: string;
  let knownHosts: string;
  const open: NetconfSession[] = [];

  const options = (overrides: Partial<NetconfConnectOptions> = {}): NetconfConnectOptions => ({
    host: peer.host,
    port: peer.port,
    username: peer.username,
    password: peer.password,
    knownHostsPath: knownHosts,
    connectTimeoutMs: 10_000,
    helloTimeoutMs: 10_000,
    rpcTimeoutMs: 10_000,
    ...overrides,
  });
  const connect = async (overrides: Partial<NetconfConnectOptions> = {}): Promise<NetconfSession> => {
    const s = await NetconfSession.connect(options(overrides));
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    peer = await startNetconfdPeer();
    workDir = await mkdtemp(join(tmpdir(), 'netconf-interop-'));
    knownHosts = join(workDir, 'known_hosts');
    const [type, key] = peer.hostKeyLine.split(/\s+/);
    await writeFile(knownHosts, `[${peer.host}]:${peer.port} ${type} ${key}\n`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close(3000).catch(() => undefined)));
    if (peer) await stopNetconfdPeer(peer.runDir);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }, 60_000);

  it('when connected with both hellos listing base:1.1, then the session uses chunked framing and reads the capabilities', async () => {
    const s = await connect();
    expect(s.sessionId).toMatch(/^[1-9][0-9]*$/);
    expect(hasCapability(s.serverCapabilities, BASE_11)).toBe(true);
    expect(s.serverCapabilities.some((c) => c.startsWith(`${ESC_NS}?`))).toBe(true);
    expect(s.framing).toBe('chunked');
  });

  it('when base:1.0 is forced, then end-of-message framing is used and rpcs still work', async () => {
    const s = await connect({ forceBase10: true });
    expect(s.framing).toBe('eom');
    const data = await s.getConfig('running');
    expect(data.name).toBe('data');
  });

  it('when authenticating with a private key, then the session opens', async () => {
    const s = await connect({ password: undefined, privateKey: await readFile(peer.privateKeyPath) });
    expect(s.sessionId).not.toBe('');
  });

  it('when an ESC deployment is written with edit-config, then get-config with subtree and xpath filters returns it', async () => {
    const s = await connect();
    await s.editConfig({
      target: 'running',
      config: deployment('t-edit', 'dep-<&>"1', 'img-a&b'),
      defaultOperation: 'merge',
      errorOption: 'rollback-on-error',
    });
    const subtree = await s.getConfig('running', {
      filter: {
        type: 'subtree',
        content: `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>t-edit</name></tenant></tenants></esc_datamodel>`,
      },
    });
    const dep = pathOf(subtree, 'esc_datamodel', 'tenants', 'tenant', 'deployments', 'deployment');
    expect(textOf(dep, 'name', ESC_NS)).toBe('dep-<&>"1');
    expect(textOf(pathOf(dep, 'vm_group'), 'image', ESC_NS)).toBe('img-a&b');
    const viaXpath = await s.getConfig('running', {
      filter: { type: 'xpath', select: "/esc:esc_datamodel/esc:tenants/esc:tenant[esc:name='t-edit']", namespaces: { esc: ESC_NS } },
    });
    expect(textOf(pathOf(viaXpath, 'esc_datamodel', 'tenants', 'tenant'), 'name', ESC_NS)).toBe('t-edit');
  });

  it('when an edit is invalid, then an RpcError carries the type, tag, severity, path and message', async () => {
    const s = await connect();
    const err = (await s
      .editConfig({ target: 'running', config: deployment('t-bad', 'dep-bad', 'img', 'abc') })
      .catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.errors.length).toBeGreaterThanOrEqual(1);
    const first = err.errors[0];
    expect(first.type).toMatch(/^(protocol|application|rpc)$/);
    expect(first.severity).toBe('error');
    expect(first.tag).toMatch(/^(bad-element|invalid-value)$/);
    expect(first.path).toContain('bootup_time');
    expect(first.message).toBeTruthy();
    expect(first.raw.name).toBe('rpc-error');
    expect(err.context.sessionId).toBe(s.sessionId);
  });

  it('when subscribed and a second session changes the config, then a netconf-config-change notification arrives', async () => {
    const subscriber = await connect();
    await subscriber.createSubscription({ stream: 'NETCONF' });
    const seen = new Promise<NetconfNotification>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no netconf-config-change within 10 s')), 10_000);
      subscriber.on('notification', (n: NetconfNotification) => {
        if (n.body.name === 'netconf-config-change' && n.body.ns === NETCONF_NOTIFICATIONS_NS) {
          clearTimeout(timer);
          resolve(n);
        }
      });
    });
    const editor = await connect();
    await editor.editConfig({ target: 'running', config: deployment('t-notify', 'dep-notify', 'img-n') });
    const n = await seen;
    expect(n.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(textOf(pathOf(n.body, 'changed-by'), 'session-id')).toBe(editor.sessionId);
  });

  it('when the host key does not match known_hosts under strictHostKeyChecking=yes, then the connection is refused', async () => {
    const wrong = join(workDir, 'known_hosts_wrong');
    const otherKey = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    await writeFile(wrong, `[${peer.host}]:${peer.port} ssh-ed25519 ${otherKey}\n`);
    const err = (await NetconfSession.connect(options({ knownHostsPath: wrong, strictHostKeyChecking: 'yes' })).catch(
      (e: unknown) => e,
    )) as NetconfError;
    expect(err.code).toBe('HOST_KEY');
    expect(err.message).toMatch(/does not match/);
  });

  it('when the host is unknown, then yes refuses and accept-new records the key for the next connection', async () => {
    const fresh = join(workDir, 'known_hosts_fresh');
    const refused = (await NetconfSession.connect(options({ knownHostsPath: fresh })).catch((e: unknown) => e)) as NetconfError;
    expect(refused.code).toBe('HOST_KEY');
    await connect({ knownHostsPath: fresh, strictHostKeyChecking: 'accept-new' });
    expect(await readFile(fresh, 'utf8')).toContain(peer.hostKeyLine.split(/\s+/)[1]);
    await connect({ knownHostsPath: fresh, strictHostKeyChecking: 'yes' });
  });

  it('when the password is wrong, then connect fails with an AUTH error', async () => {
    const err = (await NetconfSession.connect(options({ password: 'wrong-password' })).catch((e: unknown) => e)) as NetconfError;
    expect(err.code).toBe('AUTH');
  });
});
