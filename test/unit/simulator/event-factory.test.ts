import { EscState, type DeploymentState, type VmInstance } from '../../../src/simulator/esc-state';
import { EventFactory } from '../../../src/simulator/event-factory';

const vm = (name: string): VmInstance => ({
  vmId: `id-${name}`,
  name,
  group: 'g1',
  hostId: 'h',
  hostname: 'compute-host-1',
  state: 'VM_ALIVE_STATE',
  interfaces: [],
});

function setup() {
  const state = new EscState();
  state.tenants.set('t', { name: 't', tenantId: 'tid-1', active: true, networks: new Map(), deployments: new Map() });
  const dep: DeploymentState = {
    name: 'd',
    tenant: 't',
    deploymentId: 'td',
    depId: 'dep-uuid',
    state: 'SERVICE_ACTIVE_STATE',
    groups: [],
    vms: [],
    busy: false,
  };
  return { events: new EventFactory(state), dep };
}

describe('EventFactory', () => {
  it('when a service event succeeds, then it carries the deployment, tenant id and 200 without VM fields', () => {
    const { events, dep } = setup();
    expect(events.service(dep, 'SERVICE_ALIVE', 'done')).toEqual({
      type: 'SERVICE_ALIVE',
      status: 'SUCCESS',
      statusCode: 200,
      message: 'done',
      depname: 'd',
      tenant: 't',
      tenantId: 'tid-1',
      depid: 'dep-uuid',
    });
  });

  it('when a service event fails, then it is FAILURE with 500', () => {
    const { events, dep } = setup();
    expect(events.service(dep, 'SERVICE_ALIVE', 'no', false)).toEqual(expect.objectContaining({ status: 'FAILURE', statusCode: 500 }));
  });

  it('when a VM event is built, then it adds vm_group, vm_source and vm_target', () => {
    const { events, dep } = setup();
    const source = vm('a');
    const target = vm('b');
    expect(events.vm(dep, source, 'VM_RECOVERY_REBOOT', 'm', true, target)).toEqual({
      type: 'VM_RECOVERY_REBOOT',
      status: 'SUCCESS',
      statusCode: 200,
      message: 'm',
      depname: 'd',
      tenant: 't',
      tenantId: 'tid-1',
      depid: 'dep-uuid',
      vmGroup: 'g1',
      vmSource: source,
      vmTarget: target,
    });
  });

  it('when a VM event gives its own status code, then it wins over success or failure', () => {
    const { events, dep } = setup();
    expect(events.vm(dep, vm('a'), 'VM_RECOVERY_UNDEPLOYED', 'm', true, undefined, 204).statusCode).toBe(204);
    expect(events.vm(dep, vm('a'), 'VM_ALIVE', 'm', false).statusCode).toBe(500);
  });

  it('when a tenant event is built, then it has the tenant and its id only', () => {
    const { events } = setup();
    expect(events.tenant('t', 'CREATE_TENANT', 'ok')).toEqual({
      type: 'CREATE_TENANT',
      status: 'SUCCESS',
      statusCode: 200,
      message: 'ok',
      tenant: 't',
      tenantId: 'tid-1',
    });
  });

  it('when the tenant is unknown, then the tenant id is absent', () => {
    const { events } = setup();
    expect(events.tenant('gone', 'DELETE_TENANT', 'ok', false)).toEqual({
      type: 'DELETE_TENANT',
      status: 'FAILURE',
      statusCode: 500,
      message: 'ok',
      tenant: 'gone',
      tenantId: undefined,
    });
  });

  it('when a network event is built, then it is tied to the deployment', () => {
    const { events, dep } = setup();
    expect(events.network(dep, 'CREATE_NETWORK', 'ok')).toEqual({
      type: 'CREATE_NETWORK',
      status: 'SUCCESS',
      statusCode: 200,
      message: 'ok',
      tenant: 't',
      tenantId: 'tid-1',
      depname: 'd',
      depid: 'dep-uuid',
    });
  });
});
