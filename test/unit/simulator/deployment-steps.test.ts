import { EscEngine } from '../../../src/simulator/esc-engine';
import type { EscEvent } from '../../../src/simulator/esc-event-writer';
import { FaultBook } from '../../../src/simulator/fault-book';
import { ZERO_DELAYS } from '../../../src/simulator/simulator';
import { parseXml } from '../../../src/xml';
import { ESC_NS, NC_NS } from './sim-test-helpers';

const deployment = (op = '') =>
  `<tenants><tenant><name>t</name><deployments><deployment${op}><name>d</name>` +
  (op
    ? ''
    : `<networks><network><name>n1</name><subnet><name>s1</name></subnet></network>` +
      `<network><name>n2</name><subnet><name>s2</name></subnet></network></networks>` +
      `<vm_group><name>g</name><interfaces><interface><nicid>0</nicid><network>n1</network></interface></interfaces>` +
      `<scaling><min_active>1</min_active><max_active>1</max_active></scaling></vm_group>`) +
  `</deployment></deployments></tenant></tenants>`;

const config = (op = '') =>
  parseXml(`<config xmlns:nc="${NC_NS}"><esc_datamodel xmlns="${ESC_NS}">${deployment(op)}</esc_datamodel></config>`);

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('deployment networks of the simulator', () => {
  let engine: EscEngine | undefined;
  afterEach(() => engine?.stop());

  it('when a deployment has two networks with subnets, then every CREATE_NETWORK comes before every CREATE_SUBNET, and undeploy sends every DELETE_SUBNET before every DELETE_NETWORK (guide ~2274-2288, ~2520-2521)', async () => {
    const events: EscEvent[] = [];
    engine = new EscEngine(ZERO_DELAYS, new FaultBook(), (e) => events.push(e));
    const net = () => events.filter((e) => /NETWORK|SUBNET/.test(e.type)).map((e) => `${e.type}:${e.subnet ?? e.network}`);
    engine.editConfig(config(), 'merge');
    await settle();
    expect(net()).toEqual(['CREATE_NETWORK:n1', 'CREATE_NETWORK:n2', 'CREATE_SUBNET:s1', 'CREATE_SUBNET:s2']);
    expect(events.findIndex((e) => e.type === 'CREATE_SUBNET')).toBeLessThan(events.findIndex((e) => e.type === 'VM_DEPLOYED'));
    events.length = 0;
    engine.editConfig(config(' nc:operation="delete"'), 'merge');
    await settle();
    expect(net()).toEqual(['DELETE_SUBNET:s1', 'DELETE_SUBNET:s2', 'DELETE_NETWORK:n1', 'DELETE_NETWORK:n2']);
    expect(events.map((e) => e.type)[0]).toBe('VM_UNDEPLOYED');
    expect(events[events.length - 1].type).toBe('SERVICE_UNDEPLOYED');
    expect([...(engine.state.tenants.get('t')?.networks.keys() ?? [])]).toEqual([]);
  });
});
