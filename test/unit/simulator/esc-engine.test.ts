import { EscEngine } from '../../../src/simulator/esc-engine';
import type { EscEvent } from '../../../src/simulator/esc-event-writer';
import { FaultBook } from '../../../src/simulator/fault-book';
import { ZERO_DELAYS } from '../../../src/simulator/simulator';
import type { SimulatorDelays } from '../../../src/simulator/simulator-types';
import { parseXml } from '../../../src/xml';
import { ESC_NS, NC_NS, rpcErrorOf } from './sim-test-helpers';

const config = (tenants: string) =>
  parseXml(`<config xmlns:nc="${NC_NS}"><esc_datamodel xmlns="${ESC_NS}"><tenants>${tenants}</tenants></esc_datamodel></config>`);
const deploy = (tenant: string, dep: string, vms = 1) =>
  config(
    `<tenant><name>${tenant}</name><deployments><deployment><name>${dep}</name>` +
      `<vm_group><name>g</name><scaling><min_active>${vms}</min_active><max_active>${vms}</max_active></scaling></vm_group></deployment></deployments></tenant>`,
  );
const undeploy = (tenant: string, dep: string) =>
  config(
    `<tenant><name>${tenant}</name><deployments><deployment nc:operation="delete"><name>${dep}</name></deployment></deployments></tenant>`,
  );
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await tick();
}

function setup(delays: Partial<SimulatorDelays> = {}) {
  const events: EscEvent[] = [];
  const faults = new FaultBook();
  const engine = new EscEngine({ ...ZERO_DELAYS, ...delays }, faults, (e) => events.push(e));
  /** Event types, with depname when there is one and FAILURE marked. */
  const seen = (): string[] => events.map((e) => `${e.type}${e.depname ? `/${e.depname}` : ''}${e.status === 'FAILURE' ? ':FAILURE' : ''}`);
  return { engine, faults, events, seen };
}

describe('EscEngine', () => {
  let engine: EscEngine | undefined;
  afterEach(() => {
    engine?.stop();
    jest.useRealTimers();
  });

  it('when a deployment is deployed and undeployed, then the events, state and running config follow', async () => {
    const s = setup();
    engine = s.engine;
    s.engine.editConfig(deploy('t', 'd', 2), 'merge');
    await settle();
    expect(s.seen()).toEqual(['CREATE_TENANT', 'VM_DEPLOYED/d', 'VM_DEPLOYED/d', 'VM_ALIVE/d', 'VM_ALIVE/d', 'SERVICE_ALIVE/d']);
    const dep = s.engine.state.deployment('t', 'd')!;
    expect([dep.state, dep.busy, dep.vms.map((v) => v.state)]).toEqual([
      'SERVICE_ACTIVE_STATE',
      false,
      ['VM_ALIVE_STATE', 'VM_ALIVE_STATE'],
    ]);
    expect(s.engine.state.tenants.get('t')?.active).toBe(true);
    s.events.length = 0;
    s.engine.editConfig(undeploy('t', 'd'), 'merge');
    await settle();
    expect(s.seen()).toEqual(['VM_UNDEPLOYED/d', 'VM_UNDEPLOYED/d', 'SERVICE_UNDEPLOYED/d']);
    expect(s.engine.state.deployment('t', 'd')).toBeUndefined();
  });

  it('when several deployments go into a new tenant before its creation ran, then CREATE_TENANT is sent once', async () => {
    const s = setup();
    engine = s.engine;
    for (const d of ['d1', 'd2', 'd3']) s.engine.editConfig(deploy('t', d), 'merge');
    await settle();
    expect(s.seen().filter((t) => t === 'CREATE_TENANT')).toHaveLength(1);
    expect(s.seen()).toHaveLength(1 + 3 * 3);
  });

  it('when a tenant is created alone and a deployment follows before the creation ran, then CREATE_TENANT is sent once', async () => {
    const s = setup();
    engine = s.engine;
    s.engine.editConfig(config('<tenant><name>t</name></tenant>'), 'merge');
    s.engine.editConfig(deploy('t', 'd'), 'merge');
    await settle();
    expect(s.seen()).toEqual(['CREATE_TENANT', 'VM_DEPLOYED/d', 'VM_ALIVE/d', 'SERVICE_ALIVE/d']);
  });

  it('when the tenant creation failed, then the next deployment into it tries CREATE_TENANT again', async () => {
    const s = setup();
    engine = s.engine;
    s.faults.add({ kind: 'fail-at', step: 'CREATE_TENANT', once: true });
    s.engine.editConfig(deploy('t', 'd1'), 'merge');
    await settle();
    expect(s.seen()).toEqual(['CREATE_TENANT:FAILURE', 'SERVICE_ALIVE/d1:FAILURE']);
    expect(s.engine.state.tenants.get('t')?.active).toBe(false);
    s.events.length = 0;
    s.engine.editConfig(deploy('t', 'd2'), 'merge');
    await settle();
    expect(s.seen()).toEqual(['CREATE_TENANT', 'VM_DEPLOYED/d2', 'VM_ALIVE/d2', 'SERVICE_ALIVE/d2']);
    expect(s.engine.state.tenants.get('t')?.active).toBe(true);
  });

  it('when the deployment that carried the pending tenant creation is undeployed first, then the next deployment sends CREATE_TENANT', () => {
    jest.useFakeTimers();
    const s = setup({ tenant: 50 });
    engine = s.engine;
    s.engine.editConfig(deploy('t', 'd1'), 'merge');
    s.engine.editConfig(undeploy('t', 'd1'), 'merge');
    jest.advanceTimersByTime(100);
    expect(s.seen()).toEqual(['SERVICE_UNDEPLOYED/d1']);
    s.events.length = 0;
    s.engine.editConfig(deploy('t', 'd2'), 'merge');
    jest.advanceTimersByTime(100);
    expect(s.seen()).toEqual(['CREATE_TENANT', 'VM_DEPLOYED/d2', 'VM_ALIVE/d2', 'SERVICE_ALIVE/d2']);
  });

  it('when a reject fault matches the deployment, then the edit is refused and the running config unchanged', () => {
    const s = setup();
    engine = s.engine;
    s.faults.add({ kind: 'reject', match: { deployment: 'd*' }, message: 'VIM down' });
    const before = s.engine.running;
    const err = rpcErrorOf(() => s.engine.editConfig(deploy('t', 'd1'), 'merge'));
    expect([err.tag, err.message]).toEqual(['operation-failed', 'VIM down']);
    expect(s.engine.running).toBe(before);
    expect(s.engine.state.tenants.size).toBe(0);
  });
});
