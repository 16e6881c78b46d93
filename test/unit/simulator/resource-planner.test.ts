import { emptyConfig, emptySystemConfig, planEditConfig } from '../../../src/simulator/edit-config-planner';
import { EscState } from '../../../src/simulator/esc-state';
import { unknownProjectOf } from '../../../src/simulator/resource-planner';
import { resourceStep } from '../../../src/simulator/resource-steps';
import { IdFactory } from '../../../src/simulator/id-factory';
import { parseXml, type XmlElement } from '../../../src/xml';
import { ESC_NS, NC_NS, rpcErrorOf } from './sim-test-helpers';

const config = (inner: string): XmlElement => parseXml(`<config xmlns:nc="${NC_NS}">${inner}</config>`);
const flavor = (name: string, vcpus = 1): string =>
  `<flavor><name>${name}</name><vcpus>${vcpus}</vcpus><memory_mb>512</memory_mb><root_disk_mb>0</root_disk_mb></flavor>`;
const flavors = (...f: string[]): string => `<esc_datamodel xmlns="${ESC_NS}"><flavors>${f.join('')}</flavors></esc_datamodel>`;
const connector = (id: string, inner = ''): string =>
  `<esc_system_config xmlns="${ESC_NS}"><vim_connectors><vim_connector><id>${id}</id>${inner}</vim_connector></vim_connectors></esc_system_config>`;
const prop = (name: string, value: string): string => `<property><name>${name}</name><value>${value}</value></property>`;
// The properties the guide calls mandatory for OpenStack ("Create Vim Connector" ~lines 570-584).
const project = `<type>OPENSTACK</type><properties>${prop('os_auth_url', 'http://os:5000/v3')}${prop('os_project_name', 'p1')}${prop('os_project_domain_name', 'default')}${prop('os_identity_api_version', '3')}</properties>`;
const user = (id: string, domain = true): string =>
  `<users><user><id>${id}</id><credentials><properties>${prop('os_password', 'pw')}${domain ? prop('os_user_domain_name', 'default') : ''}</properties></credentials></user></users>`;
const deployment = (locator: string): string =>
  `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>t</name><deployments><deployment><name>d</name><vm_group><name>g</name>${locator}</vm_group></deployment></deployments></tenant></tenants></esc_datamodel>`;
const locator = (vim: string, proj: string): string => `<locator><vim_id>${vim}</vim_id><vim_project>${proj}</vim_project></locator>`;

const plan = (request: string, state = new EscState(), current = emptyConfig(), system = emptySystemConfig()) =>
  planEditConfig(config(request), current, state, 'merge', system);

describe('flavor and VIM connector workflows at Stage 1', () => {
  it('when one flavor is sent, then it is one Create Flavor workflow and both flavors stay in a list keyed by name', () => {
    const first = plan(flavors(flavor('f1')));
    expect(first.workflows).toEqual([{ kind: 'create-flavor', flavor: 'f1' }]);
    const second = plan(flavors(flavor('f2')), new EscState(), first.tree);
    expect(second.workflows).toEqual([{ kind: 'create-flavor', flavor: 'f2' }]);
    expect(second.tree.children.find((c) => c.name === 'flavors')?.children.map((f) => f.children[0].text)).toEqual(['f1', 'f2']);
  });

  it('when two flavors come in one edit-config, then it is an rpc-error (guide: only tenant workflows combine)', () => {
    const err = rpcErrorOf(() => plan(flavors(flavor('f1'), flavor('f2'))));
    expect(err.tag).toBe('operation-not-supported');
    expect(err.message).toContain('create-flavor');
  });

  it('when a flavor comes with a deployment, then it is an rpc-error', () => {
    const both = `<esc_datamodel xmlns="${ESC_NS}"><flavors>${flavor('f1')}</flavors><tenants><tenant><name>t</name><deployments><deployment><name>d</name><vm_group><name>g</name></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>`;
    expect(rpcErrorOf(() => plan(both)).tag).toBe('operation-not-supported');
  });

  it('when an existing flavor is sent again unchanged, then nothing is activated; changed, then data-exists', () => {
    const first = plan(flavors(flavor('f1')));
    expect(plan(flavors(flavor('f1')), new EscState(), first.tree).workflows).toEqual([]);
    expect(rpcErrorOf(() => plan(flavors(flavor('f1', 2)), new EscState(), first.tree)).tag).toBe('data-exists');
  });

  it('when a VIM connector comes with its user in one edit-config, then it is an rpc-error; sent apart, two workflows', () => {
    expect(rpcErrorOf(() => plan(connector('v1', project + user('u1')))).tag).toBe('operation-not-supported');
    const created = plan(connector('v1', project));
    expect(created.workflows).toEqual([{ kind: 'create-vim-connector', connector: 'v1', project: 'p1' }]);
    const withUser = plan(connector('v1', user('u1')), new EscState(), emptyConfig(), created.system);
    expect(withUser.workflows).toEqual([{ kind: 'create-vim-user', connector: 'v1', user: 'u1' }]);
  });

  it('when a deployment locator names a connector ESC lacks or one without credentials, then it is an rpc-error naming it', () => {
    const err = rpcErrorOf(() => plan(deployment(locator('nope', 'p1'))));
    expect([err.tag, err.message, err.details.badElement]).toEqual(['invalid-value', 'Vim connector nope does not exist', 'vim_id']);
    const state = new EscState();
    state.vimConnectors.set('v1', { id: 'v1', status: 'NO_CREDENTIALS', projects: new Set(['p1']) });
    expect(rpcErrorOf(() => plan(deployment(locator('v1', 'p1')), state)).message).toBe('Vim connector v1 has no Vim User credentials');
    state.vimConnectors.get('v1')!.status = 'CONNECTION_SUCCESSFUL';
    expect(plan(deployment(locator('v1', 'p1')), state).workflows.map((w) => w.kind)).toEqual(['create-tenant', 'deploy']);
  });

  it('when a locator names a project the VIM lacks, then the group is reported as refused by the VIM', () => {
    const state = new EscState();
    state.vimConnectors.set('v1', { id: 'v1', status: 'CONNECTION_SUCCESSFUL', projects: new Set(['p1']) });
    const dep = (p: string): XmlElement =>
      parseXml(`<deployment xmlns="${ESC_NS}"><name>d</name><vm_group><name>g</name>${locator('v1', p)}</vm_group></deployment>`);
    expect(unknownProjectOf(dep('p1'), state)).toBeUndefined();
    const refused = unknownProjectOf(dep('p2'), state);
    expect(refused?.group).toBe('g');
    expect(refused?.message).toContain('project p2 does not exist in VIM v1');
  });

  it('when a connector with a user or used by a deployment is deleted, then it is in-use', () => {
    const created = plan(connector('v1', project));
    const withUser = plan(connector('v1', user('u1')), new EscState(), emptyConfig(), created.system);
    const del = `<esc_system_config xmlns="${ESC_NS}"><vim_connectors><vim_connector nc:operation="delete"><id>v1</id></vim_connector></vim_connectors></esc_system_config>`;
    expect(rpcErrorOf(() => plan(del, new EscState(), emptyConfig(), withUser.system)).tag).toBe('in-use');
    expect(plan(del, new EscState(), emptyConfig(), created.system).workflows).toEqual([{ kind: 'delete-vim-connector', connector: 'v1' }]);
  });

  it('when an OPENSTACK connector lacks a property the guide calls mandatory, then it is missing-element naming it', () => {
    const without = (name: string): string =>
      project.replace(new RegExp(`<property><name>${name}</name><value>[^<]*</value></property>`), '');
    for (const name of ['os_auth_url', 'os_project_name', 'os_project_domain_name']) {
      const err = rpcErrorOf(() => plan(connector('v1', without(name))));
      expect([err.tag, err.details.badElement]).toEqual(['missing-element', name]);
    }
    const v2 = without('os_project_domain_name').replace(prop('os_identity_api_version', '3'), prop('os_identity_api_version', '2'));
    expect(plan(connector('v1', v2)).workflows.map((w) => w.kind)).toEqual(['create-vim-connector']);
  });

  it('when a user of a v3 connector lacks os_user_domain_name, then it is missing-element', () => {
    const created = plan(connector('v1', project));
    const err = rpcErrorOf(() => plan(connector('v1', user('u1', false)), new EscState(), emptyConfig(), created.system));
    expect([err.tag, err.details.badElement]).toEqual(['missing-element', 'os_user_domain_name']);
  });

  it('when a flavor or a connector comes with a tenant creation, then it is an rpc-error; a deploy with its own tenant is accepted', () => {
    const tenantAnd = (inner: string): string =>
      `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>t2</name></tenant></tenants>${inner}</esc_datamodel>`;
    expect(rpcErrorOf(() => plan(tenantAnd(`<flavors>${flavor('f1')}</flavors>`))).tag).toBe('operation-not-supported');
    expect(rpcErrorOf(() => plan(tenantAnd('') + connector('v1', project))).tag).toBe('operation-not-supported');
    const state = new EscState();
    state.vimConnectors.set('v1', { id: 'v1', status: 'CONNECTION_SUCCESSFUL', projects: new Set(['p1']) });
    expect(plan(deployment(locator('v1', 'p1')), state).workflows.map((w) => w.kind)).toEqual(['create-tenant', 'deploy']);
    const otherTenant = deployment(locator('v1', 'p1')).replace('</tenants>', '<tenant><name>t2</name></tenant></tenants>');
    expect(rpcErrorOf(() => plan(otherTenant, state)).tag).toBe('operation-not-supported');
  });

  it('when a Delete Flavor activation fails, then the flavor still leaves opdata (guide: ESC cleans up its database)', () => {
    const state = new EscState();
    state.flavors.set('f1', { name: 'f1', flavorId: 'id-1' });
    const failed = resourceStep({ kind: 'delete-flavor', flavor: 'f1' }, state, new IdFactory()).fail('VIM refused');
    expect([failed.type, failed.status, state.flavors.has('f1')]).toEqual(['DELETE_FLAVOR', 'FAILURE', false]);
    state.flavors.set('f2', { name: 'f2', flavorId: 'id-2' });
    resourceStep({ kind: 'create-flavor', flavor: 'f3' }, state, new IdFactory()).fail();
    expect([...state.flavors.keys()]).toEqual(['f2']);
  });
  it("when default_vim_connector names a configured connector, then it is a Create Default Vim Connector workflow whose event is the guide's (~1039-1080)", () => {
    const created = plan(connector('v1', project));
    const dflt = `<esc_system_config xmlns="${ESC_NS}"><vim_connectors><default_vim_connector>v1</default_vim_connector></vim_connectors></esc_system_config>`;
    const set = plan(dflt, new EscState(), emptyConfig(), created.system);
    expect(set.workflows).toEqual([{ kind: 'create-default-vim-connector', connector: 'v1' }]);
    expect(plan(dflt, new EscState(), emptyConfig(), set.system).workflows).toEqual([]);
    const e = resourceStep(set.workflows[0] as never, new EscState(), new IdFactory()).ok();
    expect(e).toMatchObject({
      type: 'CREATE_DEFAULT_VIM_CONNECTOR',
      status: 'SUCCESS',
      statusCode: 200,
      message: 'Created default vim connector successfully.',
    });
    const unknown = `<esc_system_config xmlns="${ESC_NS}"><vim_connectors><default_vim_connector>nope</default_vim_connector></vim_connectors></esc_system_config>`;
    expect(rpcErrorOf(() => plan(unknown, new EscState(), emptyConfig(), created.system)).tag).toBe('invalid-value');
    // "Delete Default Vim Connector" (~1131-1132): once created, it cannot be deleted.
    const removal = `<esc_system_config xmlns="${ESC_NS}" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><vim_connectors><default_vim_connector nc:operation="delete"/></vim_connectors></esc_system_config>`;
    expect(rpcErrorOf(() => plan(removal, new EscState(), emptyConfig(), set.system)).tag).toBe('operation-not-supported');
    // "Delete Vim Connector" (~676): the default Vim Connector cannot be deleted either.
    const deleteDefault = `<esc_system_config xmlns="${ESC_NS}" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><vim_connectors><vim_connector nc:operation="delete"><id>v1</id></vim_connector></vim_connectors></esc_system_config>`;
    expect(rpcErrorOf(() => plan(deleteDefault, new EscState(), emptyConfig(), set.system)).tag).toBe('operation-not-supported');
    expect(plan(deleteDefault, new EscState(), emptyConfig(), created.system).workflows).toEqual([
      { kind: 'delete-vim-connector', connector: 'v1' },
    ]);
  });
});
