import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { childOf } from '../../../src/xml';
import { eventType, RawNetconfClient, SUBSCRIBE } from './raw-netconf-client';

const DEPLOY = readFileSync(join(__dirname, '../../fixtures/esc-guide/deploy-service.request.xml'), 'utf8');
const deployXml = (dep: string): string => DEPLOY.replace('<name>csr-dep</name>', `<name>${dep}</name>`);
const statusOf = (n: unknown): string => (JSON.stringify(n).includes('"FAILURE"') ? 'FAILURE' : 'SUCCESS');

let sim: RunningSimulator;
let sub: RawNetconfClient;
let rpc: RawNetconfClient;

beforeEach(async () => {
  sim = await startSimulator({ port: 0, adminPort: 0 });
  sub = await RawNetconfClient.connect(sim.port);
  rpc = await RawNetconfClient.connect(sim.port);
  await sub.request(SUBSCRIBE);
});

afterEach(async () => {
  sub.end();
  rpc.end();
  await sim.stop();
});

function isError(reply: unknown): boolean {
  return JSON.stringify(reply).includes('"rpc-error"');
}

test('when a reject rule matches the deployment, then edit-config gets rpc-error with its message and nothing is deployed', async () => {
  sim.addFault({ kind: 'reject', match: { deployment: 'rej-*' }, message: 'quota exceeded' });
  const reply = await rpc.request(deployXml('rej-1'));
  expect(isError(reply)).toBe(true);
  expect(JSON.stringify(reply)).toContain('quota exceeded');
  expect(sim.snapshot().deployments).toEqual([]);
  expect(isError(await rpc.request(deployXml('other')))).toBe(false);
});

test('when a fail-at rule names VM_DEPLOYED, then VM_DEPLOYED and SERVICE_ALIVE come as FAILURE and opdata shows the error', async () => {
  sim.addFault({ kind: 'fail-at', step: 'VM_DEPLOYED', match: { deployment: 'csr-dep' } });
  await rpc.request(DEPLOY);
  const alive = await sub.event('SERVICE_ALIVE');
  const types = sub.notifications.map((n) => `${eventType(n)}:${statusOf(n)}`);
  expect(types.slice(-2)).toEqual(['VM_DEPLOYED:FAILURE', 'SERVICE_ALIVE:FAILURE']);
  expect(statusOf(alive)).toBe('FAILURE');
  expect(sim.snapshot().deployments[0].state).toBe('SERVICE_ERROR_STATE');
});

test('when a never-finish rule matches, then no SERVICE_ALIVE arrives and the deployment stays busy', async () => {
  sim.setFaults([{ kind: 'never-finish', match: { deployment: 'csr-dep' } }]);
  await rpc.request(DEPLOY);
  await sub.event('VM_ALIVE');
  await new Promise((r) => setTimeout(r, 300));
  expect(sub.notifications.map(eventType)).not.toContain('SERVICE_ALIVE');
  expect(sim.snapshot().deployments[0].busy).toBe(true);
});

test('when a drop-after rule allows 3 messages, then the connection is dropped after the hello and two replies', async () => {
  sim.addFault({ kind: 'drop-after', messages: 3 });
  const c = await RawNetconfClient.connect(sim.port); // hello = message 1
  await c.request(readFileSync(join(__dirname, '../../fixtures/esc-guide/get-all-opdata.request.xml'), 'utf8')); // 2
  await c.request(readFileSync(join(__dirname, '../../fixtures/esc-guide/get-all-opdata.request.xml'), 'utf8')); // 3
  await c.waitFor(() => c.closed, 3000);
  expect(c.closed).toBe(true);
  expect(c.replies).toHaveLength(2);
});

test('when a delay-reply rule is set over the admin HTTP port, then the reply comes after the delay', async () => {
  // A long delay, so that a reply held back by a busy machine is not taken for the delayed one.
  const body = JSON.stringify({ kind: 'delay-reply', delayMs: 1000, match: { deployment: 'slow-dep' } });
  await new Promise<void>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: sim.adminPort, path: '/faults', method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const t0 = Date.now();
  expect(childOf(await rpc.request(deployXml('slow-dep')), 'ok')).toBeDefined();
  expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
  const t1 = Date.now();
  await rpc.request(deployXml('fast-dep').replace('<name>vnf-tenant</name>', '<name>t2</name>'));
  expect(Date.now() - t1).toBeLessThan(990);
});

test('when faults are set through the admin NETCONF RPC, then they apply and clear', async () => {
  const set = `<rpc message-id="a1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><set-faults xmlns="urn:x-esc-simulator:admin:1.0">[{"kind":"reject","match":{"deployment":"csr-dep"}}]</set-faults></rpc>`;
  expect(childOf(await rpc.request(set), 'ok')).toBeDefined();
  expect(isError(await rpc.request(DEPLOY))).toBe(true);
  await rpc.request(
    '<rpc message-id="a2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><clear-faults xmlns="urn:x-esc-simulator:admin:1.0"/></rpc>',
  );
  expect(isError(await rpc.request(DEPLOY))).toBe(false);
});
