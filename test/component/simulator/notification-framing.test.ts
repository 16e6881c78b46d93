import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { pathOf, textOf, writeElement, type XmlElement } from '../../../src/xml';
import { eventType, RawNetconfClient, SUBSCRIBE } from './raw-netconf-client';

const ESC_NS = 'http://www.cisco.com/esc/esc';
const rpc = (id: string, body: string): string => `<rpc message-id="${id}" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${body}</rpc>`;
const deploy = (id: string, tenant: string, dep: string, vms: number): string =>
  rpc(
    id,
    '<edit-config><target><running/></target><config>' +
      `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>${tenant}</name><deployments><deployment><name>${dep}</name>` +
      `<vm_group><name>g</name><interfaces><interface><nicid>0</nicid><network>esc-net</network></interface></interfaces>` +
      `<scaling><min_active>${vms}</min_active><max_active>${vms}</max_active></scaling></vm_group>` +
      '</deployment></deployments></tenant></tenants></esc_datamodel></config></edit-config>',
  );

let sim: RunningSimulator;
let chunked: RawNetconfClient;
let eom: RawNetconfClient;
let ops: RawNetconfClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  chunked = await RawNetconfClient.connect(sim.port);
  eom = await RawNetconfClient.connect(sim.port, { base10: true });
  ops = await RawNetconfClient.connect(sim.port);
  await chunked.request(SUBSCRIBE);
  await eom.request(SUBSCRIBE);
});

afterAll(async () => {
  chunked.end();
  eom.end();
  ops.end();
  await sim.stop();
});

describe('escEvent notifications on the wire', () => {
  test('when deployments with non-ASCII names burst out events, then base:1.1 and base:1.0 subscribers get the same complete messages', async () => {
    const tenant = 'lo\u00efc-\u30c6\u30ca\u30f3\u30c8';
    const deps = ['d\u00e9p-1', 'd\u00e9p-2', 'd\u00e9p-3'];
    for (const [i, dep] of deps.entries()) expect((await ops.request(deploy(`b${i}`, tenant, dep, 40))).children[0]?.name).toBe('ok');
    const expected = 1 + deps.length * (2 * 40 + 1);
    await chunked.waitFor(() => chunked.notifications.length >= expected, 10_000);
    await eom.waitFor(() => eom.notifications.length >= expected, 10_000);
    expect(chunked.notifications).toHaveLength(expected);
    expect(eom.notifications.map((n) => writeElement(n))).toEqual(chunked.notifications.map((n) => writeElement(n)));
    const alive = chunked.notifications.filter((n) => eventType(n) === 'SERVICE_ALIVE').map((n): XmlElement => pathOf(n, 'escEvent')!);
    expect(alive.map((e) => [textOf(e, 'tenant'), textOf(e, 'depname')])).toEqual(deps.map((d) => [tenant, d]));
    const vmEvents = chunked.notifications.filter((n) => eventType(n) === 'VM_ALIVE');
    expect(vmEvents).toHaveLength(deps.length * 40);
    expect(new Set(vmEvents.map((n) => textOf(pathOf(n, 'escEvent', 'vm_source'), 'vmname'))).size).toBe(deps.length * 40);
  });
});
