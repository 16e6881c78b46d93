import { childOf, writeElement, type XmlElement } from '../xml';
import { applyEdit, entriesNamed, keyOf, operationOf, type EditOperation } from './config-tree';
import type { EscState } from './esc-state';
import { SimRpcError } from './sim-rpc-error';
import { ESC_NS } from './simulator-types';
import { validateDeployment, validateTenantName } from './config-validator';
import { parseActionRequest } from './action-request';
import type { Workflow } from './workflow-types';
import { checkLocators, combinesWith, diffFlavors, diffVimConnectors, isCombinable } from './resource-planner';

/** Result of Stage 1: the new running configuration and the workflows to activate. */
export interface EditPlan {
  tree: XmlElement;
  /** The new esc_system_config (VIM connectors; guide "Create Vim Connector"). */
  system: XmlElement;
  workflows: Workflow[];
}

const ROOT_PATH = '/rpc/edit-config/config/esc:esc_datamodel';
const SYSTEM_PATH = '/rpc/edit-config/config/esc:esc_system_config';

/** An empty esc_system_config (guide, "Create Vim Connector": the root of vim_connectors). */
export function emptySystemConfig(): XmlElement {
  return { name: 'esc_system_config', ns: ESC_NS, attrs: [], children: [], text: '' };
}

/** An empty esc_datamodel configuration. */
export function emptyConfig(): XmlElement {
  return {
    name: 'esc_datamodel',
    ns: ESC_NS,
    attrs: [],
    children: [{ name: 'tenants', ns: ESC_NS, attrs: [], children: [], text: '' }],
    text: '',
  };
}

function tenantsOf(tree: XmlElement): Map<string, XmlElement> {
  const m = new Map<string, XmlElement>();
  for (const t of childOf(tree, 'tenants')?.children ?? []) m.set(keyOf(t) ?? '', t);
  return m;
}

function deploymentsOf(list: readonly XmlElement[]): Map<string, XmlElement> {
  const m = new Map<string, XmlElement>();
  for (const d of list) if (d.name === 'deployment') m.set(keyOf(d) ?? '', d);
  return m;
}

const NO_ENTRIES: readonly XmlElement[] = [];
/** Above this many changed entries, a diff compares whole lists. */
const SMALL_CHANGE = 8;

/**
 * The parts of two deployment lists that the diff needs to look at. An edit copies only the entries along
 * its path and keeps every other one as it was (applyEdit), so the lists differ only in a window between a
 * common head and a common tail of identical entries: the diff can compare the two windows instead of the
 * whole lists, as long as no key in the windows also occurs outside them (duplicate keys are matched
 * last-one-wins over the whole list). Otherwise, or for a large window, the whole lists are returned.
 */
function changedWindows(before: readonly XmlElement[], after: readonly XmlElement[]): [readonly XmlElement[], readonly XmlElement[]] {
  let head = 0;
  const min = Math.min(before.length, after.length);
  while (head < min && before[head] === after[head]) head++;
  let tailB = before.length;
  let tailA = after.length;
  while (tailB > head && tailA > head && before[tailB - 1] === after[tailA - 1]) {
    tailB--;
    tailA--;
  }
  if (tailB - head + (tailA - head) > SMALL_CHANGE) return [before, after];
  const windowB = before.slice(head, tailB);
  const windowA = after.slice(head, tailA);
  const keys = new Set<string>();
  for (const d of windowB) if (d.name === 'deployment') keys.add(keyOf(d) ?? '');
  for (const d of windowA) if (d.name === 'deployment') keys.add(keyOf(d) ?? '');
  for (const key of keys) {
    // Deployments of that key anywhere in the list (an absent key counts as ''), from the list's index.
    const same = entriesNamed(after, 'deployment', key);
    if (same === undefined) return outsideHas(after, head, tailA, keys) ? [before, after] : [windowB, windowA];
    if (same.some((d) => !windowA.includes(d))) return [before, after];
    if (key === '' && entriesNamed(after, 'deployment', undefined)!.some((d) => !windowA.includes(d))) return [before, after];
  }
  return [windowB, windowA];
}

/** Whether a deployment with one of `keys` is in `list` outside [from, to). */
function outsideHas(list: readonly XmlElement[], from: number, to: number, keys: Set<string>): boolean {
  for (let i = 0; i < list.length; i++) {
    if (i === from) i = to;
    if (i >= list.length) break;
    const d = list[i];
    if (d.name === 'deployment' && keys.has(keyOf(d) ?? '')) return true;
  }
  return false;
}

function checkNames(config: XmlElement): void {
  for (const t of childOf(config, 'tenants')?.children ?? []) {
    validateTenantName(t, `${ROOT_PATH}/esc:tenants/esc:tenant`);
  }
}

/** Turns the old/new configuration difference into workflows (guide, "Configuration Workflows"). */
function diffWorkflows(oldTree: XmlElement, newTree: XmlElement, state: EscState): Workflow[] {
  const out: Workflow[] = [];
  const oldTenants = tenantsOf(oldTree);
  const newTenants = tenantsOf(newTree);
  for (const [name, t] of newTenants) {
    const before = oldTenants.get(name);
    if (before === t) continue;
    if (!before) out.push({ kind: 'create-tenant', tenant: name });
    const [oldList, newList] = changedWindows(
      childOf(before, 'deployments')?.children ?? NO_ENTRIES,
      childOf(t, 'deployments')?.children ?? NO_ENTRIES,
    );
    const oldDeps = deploymentsOf(oldList);
    const newDeps = deploymentsOf(newList);
    for (const [dep, d] of newDeps) {
      const prev = oldDeps.get(dep);
      if (prev === d) continue;
      const path = `${ROOT_PATH}/esc:tenants/esc:tenant[name='${name}']/esc:deployments/esc:deployment[name='${dep}']`;
      validateDeployment(d, path);
      if (!prev) out.push({ kind: 'deploy', tenant: name, deployment: dep, config: d });
      else if (writeElement(prev) !== writeElement(d)) out.push({ kind: 'update', tenant: name, deployment: dep, config: d });
    }
    for (const dep of oldDeps.keys()) if (!newDeps.has(dep)) out.push({ kind: 'undeploy', tenant: name, deployment: dep });
  }
  for (const [name] of oldTenants) {
    if (newTenants.has(name)) continue;
    const deps = state.tenants.get(name)?.deployments.size ?? 0;
    if (deps > 0) {
      throw new SimRpcError('in-use', `Tenant ${name} still has ${deps} deployment(s); undeploy them first`, {
        path: `${ROOT_PATH}/esc:tenants/esc:tenant[name='${name}']`,
      });
    }
    out.push({ kind: 'delete-tenant', tenant: name });
  }
  return out;
}

/**
 * ESC accepts any number of tenant workflows together, but every other workflow alone (guide, "Combining
 * Workflows", ~lines 414-422: "Combining workflows other than those specified above will result in an
 * rpc-error"): several flavors, a flavor with a deployment, a VIM connector with its user, a flavor with a
 * tenant… are an rpc-error. The one exception is the Unified Deployment ("Deploy Service" ~lines 2133-2136):
 * a deploy with the creation of its own tenant. Documented assumption: the guide gives no error tag;
 * operation-not-supported is used.
 */
function checkCombination(workflows: Workflow[]): void {
  const heavy = workflows.filter((w) => !isCombinable(w));
  const light = workflows.filter(isCombinable);
  if (heavy.length === 1 && !combinesWith(heavy[0], light)) {
    throw new SimRpcError(
      'operation-not-supported',
      `Combining ${heavy[0].kind} with ${[...new Set(light.map((w) => w.kind))].join(', ')} in one request is not supported; send one edit-config per workflow`,
      { path: ROOT_PATH },
    );
  }
  if (heavy.length > 1) {
    throw new SimRpcError(
      'operation-not-supported',
      `Combining ${heavy.length} workflows (${[...new Set(heavy.map((w) => w.kind))].join(', ')}) in one request is not supported; send one edit-config per workflow`,
      { path: ROOT_PATH },
    );
  }
}

function checkBusy(workflows: Workflow[], state: EscState): void {
  for (const w of workflows) {
    if (w.kind !== 'update' && w.kind !== 'undeploy') continue;
    const dep = state.deployment(w.tenant, w.deployment);
    if (dep?.busy && w.kind === 'update') {
      throw new SimRpcError('in-use', `Deployment ${w.deployment} has a workflow in progress`, { path: ROOT_PATH });
    }
  }
}

/**
 * Stage 1 of an edit-config on running (guide, "Stage 1: Acceptance or Rejection of a Configuration
 * Request"): validates the request against the current configuration and returns the new configuration
 * and the workflows to activate, or throws {@link SimRpcError} leaving everything unchanged.
 */
export function planEditConfig(
  config: XmlElement,
  current: XmlElement,
  state: EscState,
  defaultOp: EditOperation,
  currentSystem: XmlElement = emptySystemConfig(),
): EditPlan {
  const roots = config.children;
  const actions = roots.filter((r) => r.ns === ESC_NS && (r.name === 'serviceAction' || r.name === 'vmAction'));
  const models = roots.filter((r) => r.ns === ESC_NS && r.name === 'esc_datamodel');
  const systems = roots.filter((r) => r.ns === ESC_NS && r.name === 'esc_system_config');
  const unknown = roots.find((r) => !actions.includes(r) && !models.includes(r) && !systems.includes(r));
  if (unknown) {
    throw new SimRpcError('unknown-element', `Unsupported element ${unknown.name} in config`, {
      path: `/rpc/edit-config/config/${unknown.name}`,
      badElement: unknown.name,
      type: 'protocol',
    });
  }
  if (actions.length > 0) {
    if (actions.length > 1 || models.length > 0 || systems.length > 0)
      throw new SimRpcError('operation-not-supported', 'An action must be sent alone in its own request', {
        path: '/rpc/edit-config/config',
      });
    return { tree: current, system: currentSystem, workflows: [parseActionRequest(actions[0], state)] };
  }
  let system = currentSystem;
  for (const m of systems) system = applyEdit(system, m, operationOf(m, SYSTEM_PATH) ?? defaultOp, SYSTEM_PATH);
  let tree = current;
  for (const m of models) {
    checkNames(m);
    const rootOp = operationOf(m, ROOT_PATH) ?? defaultOp;
    tree = applyEdit(tree, m, rootOp, ROOT_PATH);
  }
  if (!childOf(tree, 'tenants')) tree = { ...tree, children: [...tree.children, emptyConfig().children[0]] };
  const workflows: Workflow[] = [
    ...diffVimConnectors(currentSystem, system, tree),
    ...diffFlavors(current, tree),
    ...diffWorkflows(current, tree, state),
  ];
  checkCombination(workflows);
  checkBusy(workflows, state);
  checkLocators(workflows, state);
  return { tree, system, workflows };
}
