import { childOf, childrenOf, writeElement, type XmlElement } from '../xml';
import { keyOf } from './config-tree';
import type { EscState } from './esc-state';
import { SimRpcError } from './sim-rpc-error';
import type { ResourceWorkflow, Workflow } from './workflow-types';

/*
 * Stage 1 (guide, "Stage 1: Acceptance or Rejection of a Configuration Request", ~lines 368-400) for the
 * resources that live outside deployments: flavors (esc_datamodel/flavors, guide "Create Flavor" ~1729-1850)
 * and VIM connectors with their users (esc_system_config/vim_connectors, guide 6.1.1-6.1.7, ~552-1133).
 */

const MODEL_PATH = '/rpc/edit-config/config/esc:esc_datamodel';
const SYSTEM_PATH = '/rpc/edit-config/config/esc:esc_system_config';

function keyed(list: readonly XmlElement[], name: string): Map<string, XmlElement> {
  const m = new Map<string, XmlElement>();
  for (const e of list) if (e.name === name) m.set(keyOf(e) ?? '', e);
  return m;
}

function same(a: XmlElement, b: XmlElement): boolean {
  return a === b || writeElement(a) === writeElement(b);
}

/**
 * Flavor workflows: a new flavor is a Create Flavor (guide "Create Flavor", ~lines 1729-1826), a removed one a
 * Delete Flavor (~lines 1826-1888). An empty name is the guide's own Stage 1 example (invalid-value, ~lines
 * 381-395). Documented assumption: the guide has no Update Flavor workflow and is silent on re-sending a
 * flavor, so an unchanged re-send is a no-op (NETCONF merge of equal data changes nothing, no event) and an
 * edit that changes an existing flavor is refused as data-exists (ESC cannot activate a change it has no
 * workflow for; the client must delete and re-create). Also assumed: vcpus, memory_mb and the disk sizes of the
 * guide's example (~1740-1745) are not checked, the guide calls none of them mandatory; and a vm_group's
 * `flavor` / `image` need not be one ESC created: the guide's own deployment examples name a stock OpenStack flavor
 * and images no workflow of the guide creates (`m1.large`, `Automation-ASA`, ~3226-3227; `Cirros-Flavor`, ~2905).
 */
export function diffFlavors(oldModel: XmlElement, newModel: XmlElement): ResourceWorkflow[] {
  const before = keyed(childOf(oldModel, 'flavors')?.children ?? [], 'flavor');
  const after = keyed(childOf(newModel, 'flavors')?.children ?? [], 'flavor');
  const out: ResourceWorkflow[] = [];
  for (const [name, f] of after) {
    const prev = before.get(name);
    const path = `${MODEL_PATH}/esc:flavors/esc:flavor[name='${name}']`;
    if (name === '') throw new SimRpcError('invalid-value', '"" is not a valid value.', { path: `${path}/esc:name`, badElement: 'name' });
    if (!prev) out.push({ kind: 'create-flavor', flavor: name });
    else if (!same(prev, f)) throw new SimRpcError('data-exists', `Flavor ${name} already exists`, { path, badElement: 'flavor' });
  }
  for (const name of before.keys()) if (!after.has(name)) out.push({ kind: 'delete-flavor', flavor: name });
  return out;
}

/** The value of `properties/property[name=…]` of a connector or credentials element. */
export function propertyOf(parent: XmlElement | undefined, name: string): string | undefined {
  for (const p of childrenOf(childOf(parent, 'properties'), 'property')) {
    if (childOf(p, 'name')?.text.trim() === name) return childOf(p, 'value')?.text.trim();
  }
  return undefined;
}

/** VIM connectors referred to by a vm_group locator anywhere in the configuration. */
function referencedConnectors(model: XmlElement): Set<string> {
  const out = new Set<string>();
  for (const t of childOf(model, 'tenants')?.children ?? []) {
    for (const d of childrenOf(childOf(t, 'deployments'), 'deployment')) {
      for (const g of childrenOf(d, 'vm_group')) {
        const id = childOf(childOf(g, 'locator'), 'vim_id')?.text.trim();
        if (id) out.add(id);
      }
    }
  }
  return out;
}

function withoutUsers(c: XmlElement): XmlElement {
  return { ...c, children: c.children.filter((x) => x.name !== 'users') };
}

/**
 * The properties the guide calls mandatory for an OpenStack connector ("Create Vim Connector", ~lines 570-584:
 * os_auth_url and os_project_name always, os_project_domain_name with the v3 identity API) and for its user
 * ("Create Vim User", ~line 823: os_user_domain_name with the v3 identity API). Missing ones are a Stage 1
 * rejection (~lines 368-400). Documented assumptions: the guide gives no error tag, missing-element is used;
 * "using the v3 identity API" means os_identity_api_version 3 (~line 587), the auth URL is not parsed;
 * a connector of another type (or with no type) is not checked, the guide lists mandatory properties only for
 * OpenStack.
 */
function checkMandatory(c: XmlElement, path: string): void {
  if (childOf(c, 'type')?.text.trim() !== 'OPENSTACK') return;
  const v3 = propertyOf(c, 'os_identity_api_version') === '3';
  const missing = (owner: XmlElement | undefined, names: string[]): string | undefined => names.find((n) => !propertyOf(owner, n));
  const own = missing(c, ['os_auth_url', 'os_project_name', ...(v3 ? ['os_project_domain_name'] : [])]);
  if (own)
    throw new SimRpcError('missing-element', `Property ${own} is mandatory for an OPENSTACK Vim Connector`, {
      path: `${path}/esc:properties/esc:property`,
      badElement: own,
    });
  if (!v3) return;
  for (const u of childrenOf(childOf(c, 'users'), 'user')) {
    if (missing(childOf(u, 'credentials'), ['os_user_domain_name']))
      throw new SimRpcError('missing-element', 'Property os_user_domain_name is mandatory for a Vim User of a v3 identity API', {
        path: `${path}/esc:users/esc:user[id='${keyOf(u) ?? ''}']/esc:credentials/esc:properties/esc:property`,
        badElement: 'os_user_domain_name',
      });
  }
}

/**
 * VIM connector and VIM user workflows (guide 6.1.1-6.1.6, ~lines 552-1038). Refused at Stage 1: a missing
 * mandatory property (see checkMandatory), a second user on a connector ("Create Vim User" ~line 801: "Request
 * to add more than one user will be rejected"), deleting a connector that still has a user or that a
 * deployment refers to, or the default one ("Delete Vim Connector" ~lines 675-676: "for the default Vim Connector,
 * once it is successfully authenticated, cannot be deleted"; ~1131-1132), updating a connector a deployment refers to
 * ("Update Vim Connector" ~line 729). Documented assumptions (the guide names no error tags): in-use for the
 * reference checks, operation-not-supported for the second user; "referring" is read as a locator vim_id in
 * the running configuration. A change to a connector's users alone is a user workflow, not an Update Vim
 * Connector ("Update Vim User" ~lines 968-1038). Assumed: the default connector is refused whether or not it is
 * authenticated (operation-not-supported), and the connectors installed with the simulator are not made the
 * default, so deleting one is accepted where ESC would refuse deleting the default it created at installation.
 */
export function diffVimConnectors(oldSystem: XmlElement, newSystem: XmlElement, model: XmlElement): ResourceWorkflow[] {
  const before = keyed(childOf(oldSystem, 'vim_connectors')?.children ?? [], 'vim_connector');
  const after = keyed(childOf(newSystem, 'vim_connectors')?.children ?? [], 'vim_connector');
  const used = referencedConnectors(model);
  const out: ResourceWorkflow[] = [];
  for (const [id, c] of after) {
    const path = `${SYSTEM_PATH}/esc:vim_connectors/esc:vim_connector[id='${id}']`;
    if (id === '') throw new SimRpcError('invalid-value', '"" is not a valid value.', { path: `${path}/esc:id`, badElement: 'id' });
    const prev = before.get(id);
    if (!prev || !same(prev, c)) checkMandatory(c, path);
    const project = propertyOf(c, 'os_project_name');
    if (!prev) out.push({ kind: 'create-vim-connector', connector: id, project });
    else if (!same(withoutUsers(prev), withoutUsers(c))) {
      if (used.has(id)) throw new SimRpcError('in-use', `Vim connector ${id} is used by deployments and cannot be updated`, { path });
      out.push({ kind: 'update-vim-connector', connector: id, project });
    }
    const usersBefore = keyed(childOf(prev, 'users')?.children ?? [], 'user');
    const usersAfter = keyed(childOf(c, 'users')?.children ?? [], 'user');
    if (usersAfter.size > 1)
      throw new SimRpcError('operation-not-supported', `Only one Vim User per Vim Connector is supported (connector ${id})`, {
        path: `${path}/esc:users/esc:user`,
        badElement: 'user',
      });
    for (const [user, u] of usersAfter) {
      const was = usersBefore.get(user);
      if (!was) out.push({ kind: 'create-vim-user', connector: id, user });
      else if (!same(was, u)) out.push({ kind: 'update-vim-user', connector: id, user });
    }
    for (const user of usersBefore.keys()) if (!usersAfter.has(user)) out.push({ kind: 'delete-vim-user', connector: id, user });
  }
  for (const [id, c] of before) {
    if (after.has(id)) continue;
    const path = `${SYSTEM_PATH}/esc:vim_connectors/esc:vim_connector[id='${id}']`;
    if (id === defaultConnectorOf(oldSystem))
      throw new SimRpcError('operation-not-supported', `Vim connector ${id} is the default Vim Connector and cannot be deleted`, { path });
    if (childrenOf(childOf(c, 'users'), 'user').length > 0)
      throw new SimRpcError('in-use', `Vim connector ${id} still has a Vim User; delete the user first`, { path });
    if (used.has(id)) throw new SimRpcError('in-use', `Vim connector ${id} is used by deployments`, { path });
    out.push({ kind: 'delete-vim-connector', connector: id });
  }
  const dflt = defaultConnectorChange(oldSystem, newSystem, after);
  if (dflt) out.push(dflt);
  return out;
}

/** The connector `vim_connectors/default_vim_connector` names in a system config ('' when none). */
function defaultConnectorOf(system: XmlElement): string {
  return childOf(childOf(system, 'vim_connectors'), 'default_vim_connector')?.text.trim() ?? '';
}

/**
 * Create Default Vim Connector (guide ~lines 1039-1080): setting `vim_connectors/default_vim_connector` to one
 * of the configured connectors is a workflow of its own, whose success event is CREATE_DEFAULT_VIM_CONNECTOR.
 * "Delete Default Vim Connector" (~1131-1132): once created it cannot be deleted, so removing it is refused.
 * Documented assumptions (the guide is silent): naming a connector that is not configured is refused at
 * Stage 1 (invalid-value; the guide makes "one of the Vim Connectors" the default, ~1040); the removal is refused
 * as operation-not-supported (the guide names no tag); re-sending the same value activates nothing; naming another
 * configured connector is accepted as a new Create Default Vim Connector (the guide shows neither an update of the
 * default nor a refusal of one; the driver never sets it); the `{vim_type}_config` opdata the guide mentions (~1083)
 * is not simulated.
 */
function defaultConnectorChange(
  oldSystem: XmlElement,
  newSystem: XmlElement,
  connectors: ReadonlyMap<string, XmlElement>,
): ResourceWorkflow | undefined {
  const id = defaultConnectorOf(newSystem);
  const was = defaultConnectorOf(oldSystem);
  const path = `${SYSTEM_PATH}/esc:vim_connectors/esc:default_vim_connector`;
  if (id === '' && was !== '')
    throw new SimRpcError('operation-not-supported', 'The default Vim Connector cannot be deleted', {
      path,
      badElement: 'default_vim_connector',
    });
  if (id === '' || id === was) return undefined;
  if (!connectors.has(id))
    throw new SimRpcError('invalid-value', `Vim connector ${id} does not exist`, { path, badElement: 'default_vim_connector' });
  return { kind: 'create-default-vim-connector', connector: id };
}

/**
 * A deployment whose vm_group locator names a VIM connector ESC does not hold, or one without credentials, is
 * refused at Stage 1: ESC rejects the config requests that need VIM credentials it does not have (guide
 * "Create Vim Connector" ~line 553), and "the VIM connector and its credentials" are a prerequisite of a
 * multi-VIM deployment (guide "Deploy Multi-vim Service" ~lines 2868-2870; the locator's vim_id "references
 * the vim connector", ~line 2874). Documented assumptions: the guide gives no error tag or message
 * (invalid-value on the vim_id leaf is used), and "holds" means the connector's CREATE_VIM_CONNECTOR has been
 * activated, "credentials" that its CREATE_VIM_USER has (opdata CONNECTION_SUCCESSFUL, ~lines 868-870).
 */
export function checkLocators(workflows: readonly Workflow[], state: EscState): void {
  for (const w of workflows) {
    if (w.kind !== 'deploy' && w.kind !== 'update') continue;
    for (const g of childrenOf(w.config, 'vm_group')) {
      const vimId = childOf(childOf(g, 'locator'), 'vim_id')?.text.trim();
      if (vimId === undefined) continue;
      const group = childOf(g, 'name')?.text.trim() ?? '';
      const path = `${MODEL_PATH}/esc:tenants/esc:tenant[name='${w.tenant}']/esc:deployments/esc:deployment[name='${w.deployment}']/esc:vm_group[name='${group}']/esc:locator/esc:vim_id`;
      const connector = state.vimConnectors.get(vimId);
      if (!connector) throw new SimRpcError('invalid-value', `Vim connector ${vimId} does not exist`, { path, badElement: 'vim_id' });
      if (connector.status !== 'CONNECTION_SUCCESSFUL')
        throw new SimRpcError('invalid-value', `Vim connector ${vimId} has no Vim User credentials`, { path, badElement: 'vim_id' });
    }
  }
}

/**
 * The first vm_group whose locator names a project the VIM does not have, with ESC's failure message: the
 * project is an out-of-band one that must exist in the target VIM (guide "Deploy Multi-vim Service" ~line
 * 2876), so ESC accepts the request (it does not check VIM projects at Stage 1) and the VIM refuses the VMs:
 * the deployment fails like any Deploy Service activation failure (~line 3149 → Deploy Service "On Failure",
 * ~lines 2431-2447). Documented assumption: the guide gives no message; this one is the simulator's.
 */
export function unknownProjectOf(config: XmlElement, state: EscState): { group: string; message: string } | undefined {
  for (const g of childrenOf(config, 'vm_group')) {
    const locator = childOf(g, 'locator');
    const vimId = childOf(locator, 'vim_id')?.text.trim();
    const project = childOf(locator, 'vim_project')?.text.trim();
    if (vimId === undefined || project === undefined) continue;
    const connector = state.vimConnectors.get(vimId);
    if (connector && !connector.projects.has(project)) {
      return {
        group: childOf(g, 'name')?.text.trim() ?? '',
        message: `OpenStack Driver: VM deployment failed, project ${project} does not exist in VIM ${vimId}`,
      };
    }
  }
  return undefined;
}

/**
 * Workflows the guide lets any number of be combined in one request ("Combining Workflows", ~lines 414-422:
 * Tenant Creation/Deletion, Service Registration/De-registration; the simulator has no service registration).
 */
export function isCombinable(w: Workflow): boolean {
  return w.kind === 'create-tenant' || w.kind === 'delete-tenant';
}

/**
 * Whether `others` (the combinable workflows of a request) may come with `w`, the one other workflow: only as a
 * Unified Deployment ("Deploy Service" ~lines 2133-2136), a deploy with the creation of zero or one tenant,
 * its own. Any other mix is "combining workflows other than those specified" (~line 422), an rpc-error.
 */
export function combinesWith(w: Workflow, others: readonly Workflow[]): boolean {
  if (others.length === 0) return true;
  return w.kind === 'deploy' && others.length === 1 && others[0].kind === 'create-tenant' && others[0].tenant === w.tenant;
}
