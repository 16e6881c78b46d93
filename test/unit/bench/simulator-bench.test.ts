import { eventTypeOf, expectedDeployEvents, simulatorMetrics } from '../../../bench/simulator';
import { EscEngine } from '../../../src/simulator/esc-engine';
import type { EscEvent } from '../../../src/simulator/esc-event-writer';
import { FaultBook } from '../../../src/simulator/fault-book';
import { ZERO_DELAYS } from '../../../src/simulator/simulator';
import { parseXml } from '../../../src/xml';

const ESC_NS = 'http://www.cisco.com/esc/esc';

function deployConfig(tenant: string, dep: string, vms: number) {
  return parseXml(
    `<config><esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>${tenant}</name><deployments><deployment><name>${dep}</name>` +
      `<vm_group><name>g</name><interfaces><interface><nicid>0</nicid><network>esc-net</network></interface></interfaces>` +
      `<scaling><min_active>${vms}</min_active><max_active>${vms}</max_active></scaling></vm_group></deployment></deployments></tenant></tenants></esc_datamodel></config>`,
  );
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('simulator bench expectedDeployEvents', () => {
  it('when 100 deployments of 100 VMs are counted, then it is 2 events per VM, 1 per deployment and 1 tenant', () => {
    expect(expectedDeployEvents(100, 100)).toBe(20_101);
    expect(expectedDeployEvents(1, 1)).toBe(4);
  });

  it('when the simulator engine deploys 3 deployments of 4 VMs into a new tenant, then it emits exactly that many events', async () => {
    const events: EscEvent[] = [];
    const engine = new EscEngine(ZERO_DELAYS, new FaultBook(), (e) => events.push(e));
    try {
      for (let i = 0; i < 3; i++) engine.editConfig(deployConfig('t-new', `dep-${i}`, 4), 'merge');
      for (let i = 0; i < 50 && events.length < expectedDeployEvents(3, 4); i++) await tick();
      for (let i = 0; i < 5; i++) await tick();
      expect(events).toHaveLength(expectedDeployEvents(3, 4));
      const count = (type: string): number => events.filter((e) => e.type === type).length;
      expect([count('CREATE_TENANT'), count('VM_DEPLOYED'), count('VM_ALIVE'), count('SERVICE_ALIVE')]).toEqual([1, 12, 12, 3]);
    } finally {
      engine.stop();
    }
  });
});

describe('simulator bench eventTypeOf', () => {
  it('when a notification carries an escEvent, then its type is read', () => {
    expect(eventTypeOf('<notification><escEvent><vm_target/><event><type>VM_ALIVE</type></event></escEvent></notification>')).toBe(
      'VM_ALIVE',
    );
  });

  it('when the message has no event type, then it is "?"', () => {
    expect(eventTypeOf('<notification><netconf-config-change/></notification>')).toBe('?');
  });
});

describe('simulator bench simulatorMetrics', () => {
  it('when the figures are given, then events/s is rounded and judged, cycles/s keeps one decimal', () => {
    expect(simulatorMetrics(21_226.44, 970.34)).toEqual([
      { metric: 'escEvents/s on one session (zero delays)', value: 21_226, unit: 'events/s', target: '≥ 20,000', pass: true },
      { metric: 'deploy+undeploy cycles/s (1,000 deployments, 10 sessions)', value: 970.3, unit: 'cycles/s' },
    ]);
  });

  it('when events/s is below 20,000, then it misses', () => {
    expect(simulatorMetrics(19_999.4, 1)[0].pass).toBe(false);
  });
});
