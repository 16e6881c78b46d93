import type { XmlElement } from '../xml';
import { LIST_KEYS } from './config-tree';
import { SimRpcError } from './sim-rpc-error';

/**
 * Key leaves of config and opdata lists, kept in ancestors of selected nodes (guide, "Fetching deployed services by
 * network name"): the data model's lists (config-tree's LIST_KEYS) and the opdata lists keyed otherwise.
 */
const FILTER_KEYS: Record<string, string> = {
  ...LIST_KEYS,
  deployments: 'deployment_name',
  vm_instance: 'vm_id',
  vm_state_machine: 'vm_name',
};

interface XpathStep {
  name: string;
  predicates: { name: string; value: string }[];
}

const QUOTES = `'"\u2018\u2019\u201c\u201d`;
/** One `[leaf=value]` predicate, the whole of it: an optional prefix, a leaf name, and a value without quotes inside. */
const PREDICATE = new RegExp(`^\\[\\s*(?:[\\w.-]+:)?([\\w.-]+)\\s*=\\s*([${QUOTES}]?)([^${QUOTES}\\]]*)([${QUOTES}]?)\\s*\\]$`);

function unsupported(select: string): SimRpcError {
  return new SimRpcError('invalid-value', `unsupported XPath expression: ${select.trim()}`, { type: 'protocol', badElement: 'filter' });
}

/** Parses the predicates of one step; anything but `[leaf=value]` (position, !=, and/or, functions) is rejected. */
function parsePredicates(text: string, select: string): XpathStep['predicates'] {
  return (text.match(/\[[^\]]*\]/g) ?? []).map((p) => {
    const m = PREDICATE.exec(p);
    if (!m) throw unsupported(select);
    const quoted = m[2] !== '' || m[4] !== '';
    return { name: m[1], value: quoted ? m[3] : m[3].trim() };
  });
}

/**
 * Parses the XPath location paths ESC's guide uses (`esc_datamodel/opdata/tenants/tenant[name='x']/...`):
 * child steps with optional prefixes and `[leaf=value]` predicates; quotes may be ', ", typographic or
 * absent (the guide shows all of them). Anything else, other predicates included, is rejected with an rpc-error.
 */
export function parseXpath(select: string): XpathStep[] {
  const src = select
    .replace(/\s*\/\s*/g, '/')
    .trim()
    .replace(/^\/+/, '');
  if (src === '') throw new SimRpcError('invalid-value', 'empty XPath select', { type: 'protocol', badElement: 'filter' });
  const steps: XpathStep[] = [];
  const re = /([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*|\*)((?:\[[^\]]*\])*)(\/|$)/y;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m || m[0] === '') throw unsupported(select);
    steps.push({ name: m[2], predicates: parsePredicates(m[3] ?? '', select) });
    pos = re.lastIndex;
  }
  return steps;
}

function keyLeaves(node: XmlElement): XmlElement[] {
  const key = FILTER_KEYS[node.name];
  return key === undefined ? [] : node.children.filter((c) => c.name === key);
}

function matchesStep(node: XmlElement, step: XpathStep): boolean {
  if (step.name !== '*' && node.name !== step.name) return false;
  return step.predicates.every((p) => node.children.some((c) => c.name === p.name && c.text.trim() === p.value));
}

function selectPath(node: XmlElement, steps: XpathStep[], i: number): XmlElement | undefined {
  if (!matchesStep(node, steps[i])) return undefined;
  if (i === steps.length - 1) return node;
  const kids = node.children.map((c) => selectPath(c, steps, i + 1)).filter((c): c is XmlElement => c !== undefined);
  if (kids.length === 0) return undefined;
  const keys = keyLeaves(node).filter((k) => !kids.includes(k));
  return { ...node, children: [...keys, ...kids] };
}

/** Applies an XPath filter to top-level data nodes; returns the pruned nodes. */
export function filterByXpath(roots: XmlElement[], select: string): XmlElement[] {
  const steps = parseXpath(select);
  return roots.map((r) => selectPath(r, steps, 0)).filter((r): r is XmlElement => r !== undefined);
}

function subtree(filter: XmlElement, data: XmlElement): XmlElement | undefined {
  if (filter.name !== data.name || (filter.ns !== '' && filter.ns !== data.ns)) return undefined;
  const content = filter.children.filter((f) => f.children.length === 0 && f.text.trim() !== '');
  for (const c of content) {
    if (!data.children.some((d) => d.name === c.name && d.text.trim() === c.text.trim())) return undefined;
  }
  const others = filter.children.filter((f) => !content.includes(f));
  if (others.length === 0) return data;
  const kids: XmlElement[] = data.children.filter((d) => content.some((c) => c.name === d.name));
  for (const d of data.children) {
    for (const f of others) {
      if (f.name !== d.name) continue;
      const r = f.children.length === 0 ? d : subtree(f, d);
      if (r && !kids.includes(r)) kids.push(r);
    }
  }
  if (kids.length === content.length && others.every((f) => f.children.length > 0))
    return content.length > 0 ? { ...data, children: kids } : undefined;
  return { ...data, children: kids };
}

/** Applies an RFC 6241 §6 subtree filter (the children of <filter type="subtree">). */
export function filterBySubtree(roots: XmlElement[], filters: XmlElement[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const f of filters) {
    for (const r of roots) {
      const m = subtree(f, r);
      if (m) out.push(m);
    }
  }
  return out;
}

/**
 * The opdata tenants (by name) a filter can select, each with the deployments (by deployment_name) it can select
 * in them, undefined meaning all of them. `get` writes only these: a filter on one deployment (guide, "Deploy
 * Service" operational data: `tenant[name=…]/deployments[deployment_name=…]`) then costs the same with one
 * deployment or with thousands. The scope may hold more than the filter selects, never less: the filter still runs
 * on what is written.
 */
export type OpdataScope = ReadonlyMap<string, ReadonlySet<string> | undefined>;

function widen(scope: Map<string, Set<string> | undefined>, tenant: string, deployments: Set<string> | undefined): void {
  if (!scope.has(tenant)) return void scope.set(tenant, deployments);
  const had = scope.get(tenant);
  if (had === undefined || deployments === undefined) return void scope.set(tenant, undefined);
  for (const d of deployments) had.add(d);
}

const isContentMatch = (f: XmlElement): boolean => f.children.length === 0 && f.text.trim() !== '';
const contentValues = (f: XmlElement, leaf: string): string[] =>
  f.children.filter((c) => c.name === leaf && isContentMatch(c)).map((c) => c.text.trim());

/** The deployments a subtree filter on one tenant can select; undefined = all. */
function subtreeDeployments(tenant: XmlElement): Set<string> | undefined {
  const selections = tenant.children.filter((c) => !isContentMatch(c));
  if (selections.length === 0) return undefined;
  const names = new Set<string>();
  for (const s of selections) {
    if (s.name !== 'deployments') continue;
    const wanted = contentValues(s, 'deployment_name');
    if (wanted.length === 0) return undefined;
    for (const w of wanted) names.add(w);
  }
  return names;
}

/** The opdata scope of a subtree filter (the children of <filter type="subtree">); undefined = everything. */
export function subtreeOpdataScope(filters: XmlElement[]): OpdataScope | undefined {
  const scope = new Map<string, Set<string> | undefined>();
  // Down esc_datamodel/opdata/tenants/tenant: a level without selections, or with content matches before the
  // tenant, selects more than tenants by name: everything is written.
  const below = (parents: XmlElement[], name: string): XmlElement[] | undefined => {
    const out: XmlElement[] = [];
    for (const p of parents) {
      if (p.children.length === 0 || p.children.some(isContentMatch)) return undefined;
      out.push(...p.children.filter((c) => c.name === name));
    }
    return out;
  };
  const opdata = below(
    filters.filter((f) => f.name === 'esc_datamodel'),
    'opdata',
  );
  const tenants = opdata && below(opdata, 'tenants');
  const tenantFilters = tenants && below(tenants, 'tenant');
  if (!tenantFilters) return undefined;
  for (const t of tenantFilters) {
    const names = contentValues(t, 'name');
    if (names.length === 0) return undefined;
    for (const name of names) widen(scope, name, subtreeDeployments(t));
  }
  return scope;
}

/** The opdata scope of an XPath filter; undefined = everything (any path but `…/tenant[name=…]`, optionally `/deployments[deployment_name=…]`). */
export function xpathOpdataScope(select: string): OpdataScope | undefined {
  const steps = parseXpath(select);
  const [root, opdata, tenants, tenant, deployments] = steps;
  if (root?.name !== 'esc_datamodel' || opdata?.name !== 'opdata' || tenants?.name !== 'tenants' || tenant?.name !== 'tenant')
    return undefined;
  if (tenants.predicates.length > 0 || opdata.predicates.length > 0) return undefined;
  const names = tenant.predicates.filter((p) => p.name === 'name').map((p) => p.value);
  if (names.length === 0) return undefined;
  const depNames =
    deployments?.name === 'deployments' ? deployments.predicates.filter((p) => p.name === 'deployment_name').map((p) => p.value) : [];
  const deps = deployments === undefined || depNames.length === 0 ? undefined : new Set(depNames);
  const scope = new Map<string, Set<string> | undefined>();
  if (deployments !== undefined && deployments.name !== 'deployments' && deployments.name !== '*')
    for (const n of names) scope.set(n, new Set());
  else for (const n of names) widen(scope, n, deps && new Set(deps));
  return scope;
}
