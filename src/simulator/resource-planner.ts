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
 * Flavor workflows: a new flavor is a Create Flavor, a removed one a Delete Flavor. The guide has no Update
 * Flavor workflow, so an edit that changes an existing flavor is refused as the data already existing.
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
 * VIM connector and VIM user workflows (guide 6.1.1-6.1.6). Refused at Stage 1: a second user on a connector
 * (~line 801), deleting a connector that still has a user or that a deployment refers to (~lines 675-676),
 * updating a connector a deployment refers to (~line 729).
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
    if (childrenOf(childOf(c, 'users'), 'user').length > 0)
      throw new SimRpcError('in-use', `Vim connector ${id} still has a Vim User; delete the user first`, { path });
    if (used.has(id)) throw new SimRpcError('in-use', `Vim connector ${id} is used by deployments`, { path });
    out.push({ kind: 'delete-vim-connector', connector: id });
  }
  return out;
}

/**
 * A deployment whose vm_group locator names a VIM connector ESC does not hold, or one without credentials, is
 * refused: ESC rejects the config requests that need VIM credentials it does not have (guide ~line 553), and
 * the connector with its credentials is a prerequisite of a multi-VIM deployment (guide ~lines 2868-2870).
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
 * project is an out-of-band one that must exist in the target VIM (guide ~line 2876), so the VIM refuses the
 * VMs and the deployment fails like any Deploy Service activation failure (guide ~line 3146, "On Failure").
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

/** Workflows the guide lets several of be combined in one request (~lines 414-421): tenants and (de-)registrations. */
export function isCombinable(w: Workflow): boolean {
  return w.kind === 'create-tenant' || w.kind === 'delete-tenant';
}
