import type { XmlElement } from '../xml';
import { SimRpcError } from './sim-rpc-error';

/** Key leaves of config and opdata lists, kept in ancestors of selected nodes (guide, "Fetching deployed services by network name"). */
const FILTER_KEYS: Record<string, string> = {
  tenant: 'name',
  deployment: 'name',
  network: 'name',
  subnet: 'name',
  vm_group: 'name',
  interface: 'nicid',
  kpi: 'event_name',
  rule: 'event_name',
  deployments: 'deployment_name',
  vm_instance: 'vm_id',
  vm_state_machine: 'vm_name',
  vim_connector: 'id',
  flavor: 'name',
  user: 'id',
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
    return { name: m[1]!, value: quoted ? m[3]! : m[3]!.trim() };
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
    steps.push({ name: m[2]!, predicates: parsePredicates(m[3] ?? '', select) });
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
  if (!matchesStep(node, steps[i]!)) return undefined;
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
