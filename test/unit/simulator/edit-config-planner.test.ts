import { applyEdit } from '../../../src/simulator/config-tree';
import { emptyConfig, planEditConfig } from '../../../src/simulator/edit-config-planner';
import { EscState, type DeploymentState } from '../../../src/simulator/esc-state';
import type { Workflow } from '../../../src/simulator/workflow-types';
import { parseXml, writeElement, type XmlElement } from '../../../src/xml';
import { ESC_NS, NC_NS, rpcErrorOf } from './sim-test-helpers';

const ROOT = '/rpc/edit-config/config/esc:esc_datamodel';
const config = (inner: string): XmlElement => parseXml(`<config xmlns:nc="${NC_NS}">${inner}</config>`);
const model = (tenants: string): string => `<esc_datamodel xmlns="${ESC_NS}"><tenants>${tenants}</tenants></esc_datamodel>`;
const dep = (name: string, vms = 1, attrs = ''): string =>
  `<deployment${attrs}><name>${name}</name><vm_group><name>g</name><scaling><min_active>${vms}</min_active><max_active>${vms}</max_active></scaling></vm_group></deployment>`;
const tenant = (name: string, deps = '', attrs = ''): string =>
  `<tenant${attrs}><name>${name}</name>${deps ? `<deployments>${deps}</deployments>` : ''}</tenant>`;

/** Workflows without their config subtree, for comparison. */
const summary = (ws: Workflow[]): object[] =>
  ws.map((w) => {
    const { config: _config, ...rest } = w as Workflow & { config?: XmlElement };
    return rest;
  });

function stateWith(tenantName: string, depName?: string, busy = false): EscState {
  const state = new EscState();
  const deployments = new Map<string, DeploymentState>();
  if (depName) {
    deployments.set(depName, {
      name: depName,
      tenant: tenantName,
      deploymentId: `${tenantName}${depName}`,
      depId: 'id',
      state: 'SERVICE_ACTIVE_STATE',
      groups: [],
      vms: [],
      busy,
    });
  }
  state.tenants.set(tenantName, { name: tenantName, tenantId: 'tid', active: true, networks: new Map(), deployments });
  return state;
}

/** Plans `request` on the configuration that `setup` produced from empty. */
function planAfter(setup: string, request: string, state = new EscState(), defaultOp: 'merge' | 'replace' = 'merge') {
  const current = setup === '' ? emptyConfig() : planEditConfig(config(setup), emptyConfig(), new EscState(), 'merge').tree;
  return { current, plan: () => planEditConfig(config(request), current, state, defaultOp) };
}

describe('planEditConfig', () => {
  it('when a deployment comes with a new tenant, then the tenant is created and the deployment deployed', () => {
    const { plan } = planAfter('', model(tenant('t1', dep('d1'))));
    const p = plan();
    expect(summary(p.workflows)).toEqual([
      { kind: 'create-tenant', tenant: 't1' },
      { kind: 'deploy', tenant: 't1', deployment: 'd1' },
    ]);
    const deploy = p.workflows[1] as Extract<Workflow, { kind: 'deploy' }>;
    expect(writeElement(deploy.config, ESC_NS)).toBe(
      '<deployment><name>d1</name><vm_group><name>g</name><scaling><min_active>1</min_active><max_active>1</max_active></scaling></vm_group></deployment>',
    );
    expect(writeElement(p.tree, ESC_NS)).toBe(`<esc_datamodel><tenants>${tenant('t1', dep('d1'))}</tenants></esc_datamodel>`);
  });

  it('when the same deployment is sent again, then there is nothing to activate', () => {
    const { plan } = planAfter(model(tenant('t1', dep('d1'))), model(tenant('t1', dep('d1'))));
    expect(plan().workflows).toEqual([]);
  });

  it('when a deployment changes, then it is an update', () => {
    const { plan } = planAfter(model(tenant('t1', dep('d1'))), model(tenant('t1', dep('d1', 2))));
    expect(summary(plan().workflows)).toEqual([{ kind: 'update', tenant: 't1', deployment: 'd1' }]);
  });

  it('when a deployment is deleted, then it is an undeploy and it leaves the configuration', () => {
    const { plan } = planAfter(
      model(tenant('t1', dep('d1'))),
      model(tenant('t1', `<deployment nc:operation="delete"><name>d1</name></deployment>`)),
    );
    const p = plan();
    expect(summary(p.workflows)).toEqual([{ kind: 'undeploy', tenant: 't1', deployment: 'd1' }]);
    expect(writeElement(p.tree, ESC_NS)).toBe(
      '<esc_datamodel><tenants><tenant><name>t1</name><deployments/></tenant></tenants></esc_datamodel>',
    );
  });

  it('when only a tenant is sent, then it is a create-tenant', () => {
    const { plan } = planAfter('', model(tenant('t1')));
    expect(summary(plan().workflows)).toEqual([{ kind: 'create-tenant', tenant: 't1' }]);
  });

  it('when a tenant without deployments is deleted, then it is a delete-tenant', () => {
    const { plan } = planAfter(model(tenant('t1')), model(tenant('t1', '', ' nc:operation="delete"')), stateWith('t1'));
    expect(summary(plan().workflows)).toEqual([{ kind: 'delete-tenant', tenant: 't1' }]);
  });

  it('when a tenant that still has deployments is deleted, then it is in-use', () => {
    const { plan } = planAfter(model(tenant('t1', dep('d1'))), model(tenant('t1', '', ' nc:operation="delete"')), stateWith('t1', 'd1'));
    const err = rpcErrorOf(plan);
    expect([err.tag, err.message, err.details]).toEqual([
      'in-use',
      'Tenant t1 still has 1 deployment(s); undeploy them first',
      { path: `${ROOT}/esc:tenants/esc:tenant[name='t1']` },
    ]);
  });

  it('when the default operation is replace, then tenants left out of the request are deleted', () => {
    const { plan } = planAfter(model(tenant('t1')), model(tenant('t2')), stateWith('t1'), 'replace');
    expect(summary(plan().workflows)).toEqual([
      { kind: 'create-tenant', tenant: 't2' },
      { kind: 'delete-tenant', tenant: 't1' },
    ]);
  });

  it('when two deployments come in one request, then combining them is operation-not-supported', () => {
    const { plan } = planAfter('', model(tenant('t1', dep('d1') + dep('d2'))));
    const err = rpcErrorOf(plan);
    expect([err.tag, err.message]).toEqual([
      'operation-not-supported',
      'Combining 2 workflows (deploy) in one request is not supported; send one edit-config per workflow',
    ]);
  });

  it('when two tenants come in one request, then both are created', () => {
    const { plan } = planAfter('', model(tenant('t1') + tenant('t2')));
    expect(summary(plan().workflows)).toEqual([
      { kind: 'create-tenant', tenant: 't1' },
      { kind: 'create-tenant', tenant: 't2' },
    ]);
  });

  it('when a deployment with a workflow in progress is updated, then it is in-use', () => {
    const { plan } = planAfter(model(tenant('t1', dep('d1'))), model(tenant('t1', dep('d1', 2))), stateWith('t1', 'd1', true));
    const err = rpcErrorOf(plan);
    expect([err.tag, err.message]).toEqual(['in-use', 'Deployment d1 has a workflow in progress']);
  });

  it('when a deployment with a workflow in progress is undeployed, then it is accepted', () => {
    const { plan } = planAfter(
      model(tenant('t1', dep('d1'))),
      model(tenant('t1', `<deployment nc:operation="delete"><name>d1</name></deployment>`)),
      stateWith('t1', 'd1', true),
    );
    expect(summary(plan().workflows)).toEqual([{ kind: 'undeploy', tenant: 't1', deployment: 'd1' }]);
  });

  it('when one deployment of many is added, changed or deleted, then only that one has a workflow', () => {
    const state = stateWith('t1');
    let current = emptyConfig();
    for (let i = 0; i < 40; i++) current = planEditConfig(config(model(tenant('t1', dep(`d${i}`)))), current, state, 'merge').tree;
    const plan = (request: string): object[] =>
      summary(planEditConfig(config(model(tenant('t1', request))), current, state, 'merge').workflows);
    expect(plan(dep('new'))).toEqual([{ kind: 'deploy', tenant: 't1', deployment: 'new' }]);
    expect(plan(dep('d17', 2))).toEqual([{ kind: 'update', tenant: 't1', deployment: 'd17' }]);
    expect(plan(dep('d17'))).toEqual([]);
    expect(plan('<deployment nc:operation="delete"><name>d0</name></deployment>')).toEqual([
      { kind: 'undeploy', tenant: 't1', deployment: 'd0' },
    ]);
    expect(plan('<deployment nc:operation="delete"><name>d39</name></deployment>')).toEqual([
      { kind: 'undeploy', tenant: 't1', deployment: 'd39' },
    ]);
  });

  it('when a list holds a deployment name twice, then the last entry of that name counts, as for the whole list', () => {
    const state = stateWith('t1');
    // A replaced list is taken as sent, duplicates included (two workflows: refused, but built the same way).
    const twice = `<deployments nc:operation="replace">${dep('d1')}${dep('d2')}${dep('d1', 3)}</deployments>`;
    const tree = applyEdit(emptyConfig(), config(model(`<tenant><name>t1</name>${twice}</tenant>`)).children[0], 'merge', ROOT);
    // A merge changes the first d1 only: the last d1, which counts, is unchanged.
    expect(planEditConfig(config(model(tenant('t1', dep('d1', 2)))), tree, state, 'merge').workflows).toEqual([]);
    // Deleting removes the first d1: the last one is still there.
    expect(
      planEditConfig(config(model(tenant('t1', '<deployment nc:operation="delete"><name>d1</name></deployment>'))), tree, state, 'merge')
        .workflows,
    ).toEqual([]);
  });

  it('when a tenant name is empty, then it is the guide invalid-value rejection', () => {
    const { plan } = planAfter('', model('<tenant><name></name></tenant>'));
    const err = rpcErrorOf(plan);
    expect([err.tag, err.details.path]).toEqual(['invalid-value', `${ROOT}/esc:tenants/esc:tenant/esc:name`]);
  });

  it('when a deployment has no vm_group, then it is missing-element with the deployment path', () => {
    const { plan } = planAfter('', model(tenant('t1', '<deployment><name>d1</name></deployment>')));
    const err = rpcErrorOf(plan);
    expect([err.tag, err.details.path]).toEqual([
      'missing-element',
      `${ROOT}/esc:tenants/esc:tenant[name='t1']/esc:deployments/esc:deployment[name='d1']`,
    ]);
  });

  it('when the config holds an element outside the ESC model, then it is unknown-element', () => {
    const { plan } = planAfter('', '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>');
    const err = rpcErrorOf(plan);
    expect([err.tag, err.message, err.details]).toEqual([
      'unknown-element',
      'Unsupported element interfaces in config',
      { path: '/rpc/edit-config/config/interfaces', badElement: 'interfaces', type: 'protocol' },
    ]);
  });

  it('when a serviceAction comes alone for an existing deployment, then it is a service-action and the tree is unchanged', () => {
    const { current, plan } = planAfter(
      model(tenant('t1', dep('d1'))),
      `<serviceAction xmlns="${ESC_NS}"><actionType>STOP</actionType><tenantName>t1</tenantName><depName>d1 </depName></serviceAction>`,
      stateWith('t1', 'd1'),
    );
    const p = plan();
    expect(p.workflows).toEqual([{ kind: 'service-action', action: 'STOP', tenant: 't1', deployment: 'd1' }]);
    expect(p.tree).toBe(current);
  });

  it('when an action comes with a configuration change, then it is operation-not-supported', () => {
    const { plan } = planAfter('', `<serviceAction xmlns="${ESC_NS}"><actionType>STOP</actionType></serviceAction>${model(tenant('t1'))}`);
    const err = rpcErrorOf(plan);
    expect([err.tag, err.message]).toEqual(['operation-not-supported', 'An action must be sent alone in its own request']);
  });

  it('when a request is rejected, then the current configuration is left as it was', () => {
    const { current, plan } = planAfter(model(tenant('t1', dep('d1'))), model(tenant('t1', dep('d2') + dep('d3'))));
    const before = writeElement(current);
    expect(() => plan()).toThrow();
    expect(writeElement(current)).toBe(before);
  });
});
