import { EscState, type DeploymentState, type VmInstance } from '../../../src/simulator/esc-state';

const vm = (name: string, vmId = `id-${name}`): VmInstance => ({
  vmId,
  name,
  group: 'g',
  hostId: 'h',
  hostname: 'c',
  state: 'VM_ALIVE_STATE',
  interfaces: [],
});

function setup() {
  const state = new EscState();
  const dep: DeploymentState = {
    name: 'd',
    tenant: 't',
    deploymentId: 'td',
    depId: 'u',
    state: 'SERVICE_ACTIVE_STATE',
    groups: [],
    vms: [],
    busy: false,
  };
  state.tenants.set('t', { name: 't', tenantId: 'x', active: true, networks: new Map(), deployments: new Map([['d', dep]]) });
  return { state, dep };
}

describe('EscState', () => {
  it('when a deployment is looked up, then tenant and name must both match', () => {
    const { state, dep } = setup();
    expect(state.deployment('t', 'd')).toBe(dep);
    expect(state.deployment('t', 'x')).toBeUndefined();
    expect(state.deployment('x', 'd')).toBeUndefined();
  });

  it('when VMs are added, then they are in the deployment and found by name', () => {
    const { state, dep } = setup();
    const a = vm('a');
    state.addVm(dep, a);
    expect(dep.vms).toEqual([a]);
    expect(state.findVm('a')).toEqual({ vm: a, dep });
    expect(state.findVm('b')).toBeUndefined();
  });

  it('when a VM is removed, then it leaves the deployment and the index', () => {
    const { state, dep } = setup();
    const a = vm('a');
    state.addVm(dep, a);
    state.removeVm(dep, a);
    expect(dep.vms).toEqual([]);
    expect(state.findVm('a')).toBeUndefined();
  });

  it('when a VM is replaced (recovery), then the name points at the new VM in the same place', () => {
    const { state, dep } = setup();
    const [a, b, a2] = [vm('a'), vm('b'), vm('a', 'new-id')];
    state.addVm(dep, a);
    state.addVm(dep, b);
    state.replaceVm(dep, a, a2);
    expect(dep.vms).toEqual([a2, b]);
    expect(state.findVm('a')?.vm).toBe(a2);
  });

  it('when an old VM is removed after its replacement took its name, then the name keeps pointing at the replacement', () => {
    const { state, dep } = setup();
    const [a, a2] = [vm('a'), vm('a', 'new-id')];
    state.addVm(dep, a);
    state.replaceVm(dep, a, a2);
    state.removeVm(dep, a);
    expect(state.findVm('a')?.vm).toBe(a2);
  });

  it('when a deployment is removed, then its VMs leave the index and the tenant stays', () => {
    const { state, dep } = setup();
    state.addVm(dep, vm('a'));
    state.addVm(dep, vm('b'));
    state.removeDeployment(dep);
    expect([state.findVm('a'), state.findVm('b'), state.deployment('t', 'd')]).toEqual([undefined, undefined, undefined]);
    expect(state.tenants.has('t')).toBe(true);
  });
});
