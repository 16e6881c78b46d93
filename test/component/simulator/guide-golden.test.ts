import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { parseXml, type XmlElement } from '../../../src/xml';
import { eventType, RawNetconfClient, SUBSCRIBE } from './raw-netconf-client';
import { missingFrom } from './golden-compare';

const FIXTURES = join(__dirname, '../../fixtures/esc-guide');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const fixtureXml = (name: string): XmlElement => parseXml(fixture(name));
const NAMES = ['/depname=', '/tenant=', '/vm_group=', 'vim_', '/svcid='];

let sim: RunningSimulator;
let sub: RawNetconfClient;
let rpc: RawNetconfClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  sub = await RawNetconfClient.connect(sim.port);
  rpc = await RawNetconfClient.connect(sim.port);
  expect((await sub.request(SUBSCRIBE)).children[0]?.name).toBe('ok');
});

afterAll(async () => {
  sub.end();
  rpc.end();
  await sim.stop();
});

/** Text of a direct child of a notification's escEvent. */
function childText(n: XmlElement, name: string): string | undefined {
  const escEvent = n.children.find((c) => c.name === 'escEvent');
  return escEvent?.children.find((c) => c.name === name)?.text.trim();
}

function typesFrom(from: number): string[] {
  return sub.notifications.slice(from).map((n) => eventType(n) ?? '?');
}

function byType(from: number, type: string): XmlElement {
  const n = sub.notifications.slice(from).find((x) => eventType(x) === type);
  if (!n) throw new Error(`no ${type} event`);
  return n;
}

async function deploy(tenant: string, dep: string): Promise<void> {
  const from = sub.notifications.length;
  const req = fixture('deploy-service.request.xml')
    .replace('<name>vnf-tenant</name>', `<name>${tenant}</name>`)
    .replace('<name>csr-dep</name>', `<name>${dep}</name>`);
  expect((await rpc.request(req)).children[0]?.name).toBe('ok');
  await sub.event('SERVICE_ALIVE', from);
}

describe('the guide examples sent verbatim', () => {
  test('when the Deploy Service example is sent, then the reply is ok and the events match the guide in content and order', async () => {
    const from = sub.notifications.length;
    const reply = await rpc.request(fixture('deploy-service.request.xml'));
    expect(reply.children.map((c) => c.name)).toEqual(['ok']);
    await sub.event('SERVICE_ALIVE', from);
    expect(typesFrom(from)).toEqual(['CREATE_TENANT', 'CREATE_NETWORK', 'CREATE_SUBNET', 'VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
    expect(missingFrom(fixtureXml('event-create-tenant.xml'), byType(from, 'CREATE_TENANT'), ['/tenant='])).toEqual([]);
    // The guide's Create Network / Create Subnet events name the network and subnet (lines ~1354-1375, ~1478-1500).
    expect(childText(byType(from, 'CREATE_NETWORK'), 'network')).toBe('mk-yesc-net-u');
    expect([childText(byType(from, 'CREATE_SUBNET'), 'network'), childText(byType(from, 'CREATE_SUBNET'), 'subnet')]).toEqual([
      'mk-yesc-net-u',
      'mk-yesc-subnet-u',
    ]);
    expect(sim.snapshot().networks).toEqual([
      { tenant: 'vnf-tenant', name: 'mk-yesc-net-u', subnet: 'mk-yesc-subnet-u', deployment: 'csr-dep' },
    ]);
    expect(missingFrom(fixtureXml('event-vm-deployed.xml'), byType(from, 'VM_DEPLOYED'), NAMES)).toEqual([]);
    expect(missingFrom(fixtureXml('event-vm-alive.xml'), byType(from, 'VM_ALIVE'), NAMES)).toEqual([]);
    expect(missingFrom(fixtureXml('event-service-alive.xml'), byType(from, 'SERVICE_ALIVE'))).toEqual([]);
  });

  test('when the deployment opdata query is sent, then the reply matches the guide apart from generated ids', async () => {
    const reply = await rpc.request(fixture('get-deployment-opdata.request.xml'));
    expect(
      missingFrom(fixtureXml('get-deployment-opdata.reply.xml'), reply, ['/service_name=', '/service_version=', '/message-id=']),
    ).toEqual([]);
  });

  test('when the get-config by network example is sent, then only the matching interface and key ancestors come back', async () => {
    const reply = await rpc.request(fixture('get-config-by-network.request.xml'));
    expect(missingFrom(fixtureXml('get-config-by-network.reply.xml'), reply, ['/vm_group/name='])).toEqual([]);
    expect(JSON.stringify(reply)).not.toContain('mk-yesc-net-u');
  });

  test('when a tenant with an empty name is created, then the rpc-error is the guide rejection example', async () => {
    const reply = await rpc.request(fixture('create-tenant.request.xml').replace('<name>mytenant</name>', '<name></name>'));
    expect(missingFrom(fixtureXml('rejection-empty-tenant.reply.xml'), reply)).toEqual([]);
  });

  test('when the service and VM action examples are sent, then each produces the guide events', async () => {
    await deploy('sampleTenant', 'sampleDep');
    const cases: [string, string[], string[]][] = [
      ['service-stop.request.xml', ['VM_STOPPED', 'SERVICE_STOPPED'], ['event-vm-stopped.xml', 'event-service-stopped.xml']],
      [
        'service-start.request.xml',
        ['VM_STARTED', 'VM_ALIVE', 'SERVICE_ALIVE'],
        ['event-vm-started.xml', 'event-vm-alive-after-started.xml', 'event-service-started.xml'],
      ],
      [
        'service-reboot.request.xml',
        ['VM_REBOOTED', 'VM_ALIVE', 'SERVICE_ALIVE'],
        ['event-vm-rebooted.xml', '', 'event-service-rebooted.xml'],
      ],
      ['service-disable-monitor.request.xml', ['VM_MONITOR_UNSET', 'SERVICE_MONITOR_UNSET'], []],
      ['service-enable-monitor.request.xml', ['VM_ALIVE', 'SERVICE_ALIVE'], []],
    ];
    for (const [req, types, guides] of cases) {
      const from = sub.notifications.length;
      expect((await rpc.request(fixture(req))).children[0]?.name).toBe('ok');
      await sub.event(types[types.length - 1], from);
      expect(typesFrom(from)).toEqual(types);
      guides.forEach((g, i) => g && expect(missingFrom(fixtureXml(g), sub.notifications[from + i], NAMES)).toEqual([]));
    }
    const vm = sim.snapshot().deployments.find((d) => d.name === 'sampleDep')!.vms[0].name;
    for (const [req, types] of [
      ['vm-stop.request.xml', ['VM_STOPPED']],
      ['vm-start.request.xml', ['VM_STARTED', 'VM_ALIVE']],
      ['vm-reboot.request.xml', ['VM_REBOOTED', 'VM_ALIVE']],
    ] as const) {
      const from = sub.notifications.length;
      expect((await rpc.request(fixture(req).replace('sampleVmName', vm))).children[0]?.name).toBe('ok');
      await sub.event(types[types.length - 1], from);
      expect(typesFrom(from)).toEqual(types);
    }
  });

  test('when the Recovery VM example is sent, then INIT, REBOOT, UNDEPLOYED, DEPLOYED, COMPLETE follow with the new VM in vm_target', async () => {
    const before = sim.snapshot().deployments.find((d) => d.name === 'sampleDep')!.vms[0];
    const from = sub.notifications.length;
    expect((await rpc.request(fixture('recovery-vm.request.xml').replace(' sampleVmName ', before.name))).children[0]?.name).toBe('ok');
    await sub.event('VM_RECOVERY_COMPLETE', from);
    expect(typesFrom(from)).toEqual([
      'VM_RECOVERY_INIT',
      'VM_RECOVERY_REBOOT',
      'VM_RECOVERY_UNDEPLOYED',
      'VM_RECOVERY_DEPLOYED',
      'VM_RECOVERY_COMPLETE',
    ]);
    const complete = byType(from, 'VM_RECOVERY_COMPLETE');
    expect(missingFrom(fixtureXml('event-recovery-complete.xml'), complete, NAMES)).toEqual([]);
    const after = sim.snapshot().deployments.find((d) => d.name === 'sampleDep')!.vms[0];
    expect(after.vmId).not.toBe(before.vmId);
    expect(JSON.stringify(complete)).toContain(after.vmId);
  });

  test('when the Un-deploy example is sent, then VM_UNDEPLOYED precedes SERVICE_UNDEPLOYED and opdata forgets the deployment', async () => {
    const from = sub.notifications.length;
    expect((await rpc.request(fixture('undeploy-service.request.xml'))).children[0]?.name).toBe('ok');
    await sub.event('SERVICE_UNDEPLOYED', from);
    expect(typesFrom(from)).toEqual(['VM_UNDEPLOYED', 'DELETE_SUBNET', 'DELETE_NETWORK', 'SERVICE_UNDEPLOYED']);
    expect(missingFrom(fixtureXml('event-vm-undeployed.xml'), byType(from, 'VM_UNDEPLOYED'), ['/depid='])).toEqual([]);
    expect(missingFrom(fixtureXml('event-service-undeployed.xml'), byType(from, 'SERVICE_UNDEPLOYED'))).toEqual([]);
    const opdata = await rpc.request(fixture('get-deployment-opdata.request.xml'));
    expect(JSON.stringify(opdata)).not.toContain('csr-dep');
  });
});

describe('Stage 1 rejections', () => {
  test('when an absent deployment is deleted, then the reply is rpc-error data-missing', async () => {
    const reply = await rpc.request(fixture('undeploy-service.request.xml').replace('csr-dep', 'nope-dep'));
    expect(JSON.stringify(reply)).toContain('data-missing');
  });

  test('when an existing deployment is created again, then the reply is rpc-error data-exists', async () => {
    await deploy('t-exists', 'd-exists');
    const req = fixture('deploy-service.request.xml')
      .replace('<name>vnf-tenant</name>', '<name>t-exists</name>')
      .replace('<deployment>', '<deployment nc:operation="create">')
      .replace('<name>csr-dep</name>', '<name>d-exists</name>');
    expect(JSON.stringify(await rpc.request(req))).toContain('data-exists');
  });

  test('when two deployments are sent in one edit-config, then ESC refuses to combine the workflows', async () => {
    const req = fixture('deploy-service.request.xml').replace(
      '</deployments>',
      '<deployment><name>second</name><vm_group><name>g</name></vm_group></deployment></deployments>',
    );
    expect(JSON.stringify(await rpc.request(req))).toContain('operation-not-supported');
    expect(sim.snapshot().deployments.map((d) => d.name)).not.toContain('second');
  });

  test('when min_active exceeds max_active, then the reply is rpc-error invalid-value', async () => {
    const req = fixture('deploy-service.request.xml')
      .replace('<name>csr-dep</name>', '<name>bad-scaling</name>')
      .replace('<min_active>1</min_active>', '<min_active>9</min_active>');
    expect(JSON.stringify(await rpc.request(req))).toContain('invalid-value');
  });

  test('when a subscribed session sends an RPC other than close-session, then it gets operation-not-supported', async () => {
    const reply = await sub.request(fixture('get-all-opdata.request.xml'));
    expect(JSON.stringify(reply)).toContain('operation-not-supported');
  });
});
