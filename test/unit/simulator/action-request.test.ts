import { parseActionRequest } from '../../../src/simulator/action-request';
import { EscState, type DeploymentState } from '../../../src/simulator/esc-state';
import { parseXml } from '../../../src/xml';
import { ESC_NS, rpcErrorOf } from './sim-test-helpers';

function setup(busy = false) {
  const state = new EscState();
  const dep: DeploymentState = {
    name: 'sampleDep',
    tenant: 'sampleTenant',
    deploymentId: 'x',
    depId: 'u',
    state: 'SERVICE_ACTIVE_STATE',
    groups: [],
    vms: [],
    busy,
  };
  state.tenants.set('sampleTenant', {
    name: 'sampleTenant',
    tenantId: 'tid',
    active: true,
    networks: new Map(),
    deployments: new Map([['sampleDep', dep]]),
  });
  state.addVm(dep, { vmId: 'v', name: 'sampleDep_g_0_u', group: 'g', hostId: 'h', hostname: 'c', state: 'VM_ALIVE_STATE', interfaces: [] });
  return state;
}

const el = (name: string, body: string) => parseXml(`<${name} xmlns="${ESC_NS}">${body}</${name}>`);
const service = (action: string, dep = 'sampleDep ') =>
  el('serviceAction', `<actionType>${action}</actionType><tenantName>sampleTenant</tenantName><depName>${dep}</depName>`);

describe('parseActionRequest', () => {
  it.each(['STOP', 'START', 'REBOOT', 'ENABLE_MONITOR', 'DISABLE_MONITOR', 'RECOVER'])(
    'when a serviceAction %s names an existing deployment (trailing space as in the guide), then it is a service-action',
    (action) => {
      expect(parseActionRequest(service(action), setup())).toEqual({
        kind: 'service-action',
        action,
        tenant: 'sampleTenant',
        deployment: 'sampleDep',
      });
    },
  );

  it('when a vmAction names an existing VM, then it is a vm-action', () => {
    expect(parseActionRequest(el('vmAction', '<actionType>REBOOT</actionType><vmName>sampleDep_g_0_u</vmName>'), setup())).toEqual({
      kind: 'vm-action',
      action: 'REBOOT',
      vmName: 'sampleDep_g_0_u',
    });
  });

  it('when a recoveryVmAction DO is sent, then it is a RECOVER vm-action', () => {
    expect(parseActionRequest(el('recoveryVmAction', '<actionType>DO</actionType><vmName>sampleDep_g_0_u</vmName>'), setup())).toEqual({
      kind: 'vm-action',
      action: 'RECOVER',
      vmName: 'sampleDep_g_0_u',
    });
  });

  it.each([
    ['serviceAction', 'PAUSE'],
    ['serviceAction', 'DO'],
    ['recoveryVmAction', 'RECOVER'],
    ['vmAction', ''],
  ])('when a %s has actionType %p, then it is invalid-value on actionType', (name, action) => {
    const err = rpcErrorOf(() =>
      parseActionRequest(
        el(
          name,
          `<actionType>${action}</actionType><tenantName>sampleTenant</tenantName><depName>sampleDep</depName><vmName>sampleDep_g_0_u</vmName>`,
        ),
        setup(),
      ),
    );
    expect([err.tag, err.message, err.details]).toEqual([
      'invalid-value',
      `"${action}" is not a valid value.`,
      { path: `/rpc/${name}/esc:actionType`, badElement: 'actionType' },
    ]);
  });

  it('when the deployment does not exist, then it is data-missing on depName', () => {
    const err = rpcErrorOf(() => parseActionRequest(service('STOP', 'nope'), setup()));
    expect([err.tag, err.message, err.details]).toEqual([
      'data-missing',
      'Deployment nope does not exist in tenant sampleTenant',
      { path: '/rpc/serviceAction/esc:depName', badElement: 'depName' },
    ]);
  });

  it('when the VM does not exist, then it is data-missing on vmName', () => {
    const err = rpcErrorOf(() => parseActionRequest(el('vmAction', '<actionType>STOP</actionType><vmName>ghost</vmName>'), setup()));
    expect([err.tag, err.message, err.details]).toEqual([
      'data-missing',
      'VM ghost does not exist',
      { path: '/rpc/vmAction/esc:vmName', badElement: 'vmName' },
    ]);
  });

  it('when the deployment has a workflow in progress, then service and VM actions are in-use', () => {
    const state = setup(true);
    expect(rpcErrorOf(() => parseActionRequest(service('STOP'), state)).tag).toBe('in-use');
    const err = rpcErrorOf(() =>
      parseActionRequest(el('vmAction', '<actionType>STOP</actionType><vmName>sampleDep_g_0_u</vmName>'), state),
    );
    expect([err.tag, err.message]).toEqual(['in-use', 'Deployment sampleDep has a workflow in progress']);
  });
});
