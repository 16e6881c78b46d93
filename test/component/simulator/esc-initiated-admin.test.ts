import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { childOf } from '../../../src/xml';
import { eventType, RawNetconfClient, SUBSCRIBE } from './raw-netconf-client';

const DEPLOY = readFileSync(join(__dirname, '../../fixtures/esc-guide/deploy-service.request.xml'), 'utf8');
const adminRpc = (body: string): string =>
  `<rpc message-id="a1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><${body.replace(/^<([\w-]+)/, '$1 xmlns="urn:x-esc-simulator:admin:1.0"')}</rpc>`;

let sim: RunningSimulator;
let sub: RawNetconfClient;
let rpc: RawNetconfClient;

beforeEach(async () => {
  sim = await startSimulator({ port: 0, adminPort: 0 });
  sub = await RawNetconfClient.connect(sim.port);
  rpc = await RawNetconfClient.connect(sim.port);
  await sub.request(SUBSCRIBE);
  await rpc.request(DEPLOY);
  await sub.event('SERVICE_ALIVE');
});

afterEach(async () => {
  sub.end();
  rpc.end();
  await sim.stop();
});

function postAdmin(path: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: sim.adminPort, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Types and statuses of the notifications after `from`. */
const seen = (from: number): string[] =>
  sub.notifications.slice(from).map((n) => `${eventType(n)}:${JSON.stringify(n).includes('"FAILURE"') ? 'FAILURE' : 'SUCCESS'}`);

test('when a VM is killed over the admin HTTP port, then subscribers get the recovery events and opdata the new VM id', async () => {
  const vm = sim.snapshot().deployments[0].vms[0];
  const from = sub.notifications.length;
  expect((await postAdmin('/kill-vm', { vm: vm.name })).status).toBe(202);
  await sub.event('VM_RECOVERY_COMPLETE', from);
  expect(seen(from)).toEqual([
    'VM_RECOVERY_INIT:SUCCESS',
    'VM_RECOVERY_REBOOT:FAILURE',
    'VM_RECOVERY_UNDEPLOYED:SUCCESS',
    'VM_RECOVERY_DEPLOYED:SUCCESS',
    'VM_RECOVERY_COMPLETE:SUCCESS',
  ]);
  const now = sim.snapshot().deployments[0].vms.find((v) => v.name === vm.name)!;
  expect(now.vmId).not.toBe(vm.vmId);
});

test('when the admin HTTP port is asked to kill an unknown VM or given no deployment, then it answers 400 naming the problem', async () => {
  expect(await postAdmin('/kill-vm', { vm: 'nope' })).toEqual({
    status: 400,
    text: JSON.stringify({ error: 'no VM named or with id nope' }),
  });
  expect((await postAdmin('/scale-out', { tenant: 'vnf-tenant', vmGroup: 'csr-vm' })).text).toContain(
    'deployment must be a non-empty string',
  );
});

test('when elastic scaling and a failing recovery are asked over the admin NETCONF RPC, then ESC sends their events', async () => {
  let from = sub.notifications.length;
  const scale = adminRpc('<scale-out><tenant>vnf-tenant</tenant><deployment>csr-dep</deployment><vm-group>csr-vm</vm-group></scale-out>');
  expect(childOf(await rpc.request(scale), 'ok')).toBeDefined();
  await sub.event('VM_SCALE_OUT_COMPLETE', from);
  expect(seen(from)).toEqual(['VM_SCALE_OUT_INIT:SUCCESS', 'VM_SCALE_OUT_DEPLOYED:SUCCESS', 'VM_SCALE_OUT_COMPLETE:SUCCESS']);
  expect(sim.snapshot().deployments[0].vms).toHaveLength(2);

  from = sub.notifications.length;
  const vm = sim.snapshot().deployments[0].vms[0];
  expect(childOf(await rpc.request(adminRpc(`<kill-vm><vm>${vm.vmId}</vm><fail>true</fail></kill-vm>`)), 'ok')).toBeDefined();
  await sub.event('VM_RECOVERY_COMPLETE', from);
  expect(seen(from).pop()).toBe('VM_RECOVERY_COMPLETE:FAILURE');
  // Guide "Attempts for recovery" (~4751): ESC redeploys the VM before it gives up, so the VM in error has a new id.
  const [after] = sim.snapshot().deployments[0].vms;
  expect(after).toMatchObject({ name: vm.name, state: 'VM_ERROR_STATE' });
  expect(after.vmId).not.toBe(vm.vmId);
  expect(JSON.stringify(await rpc.request(adminRpc('<scale-in><tenant>vnf-tenant</tenant></scale-in>')))).toContain('rpc-error');
});
