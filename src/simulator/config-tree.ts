import type { XmlElement } from '../xml';
import { SimRpcError } from './sim-rpc-error';

const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/** List entries of the ESC data model and their key leaf (ESC NETCONF API guide, "ESC Datamodel"). */
const LIST_KEYS: Record<string, string> = {
  tenant: 'name',
  deployment: 'name',
  network: 'name',
  subnet: 'name',
  vm_group: 'name',
  interface: 'nicid',
  kpi: 'event_name',
  rule: 'event_name',
  configuration: 'dst',
  property: 'name',
  policy: 'name',
  condition: 'name',
  file_locator: 'name',
  vim_connector: 'id',
};
/** Leaf-lists: repeated leaves that are kept as a whole. */
const LEAF_LISTS = new Set(['action']);

export type EditOperation = 'merge' | 'replace' | 'create' | 'delete' | 'remove';
const OPERATIONS = new Set<EditOperation>(['merge', 'replace', 'create', 'delete', 'remove']);

/** Key leaf of a list entry, or undefined for containers and leaves. */
export function keyOf(el: XmlElement): string | undefined {
  const key = LIST_KEYS[el.name];
  if (key === undefined) return undefined;
  const k = el.children.find((c) => c.name === key);
  return k === undefined ? undefined : k.text.trim();
}

/** The nc:operation attribute of an edit element (RFC 6241 §7.2), or undefined. */
export function operationOf(el: XmlElement, path: string): EditOperation | undefined {
  const a = el.attrs.find((x) => x.name === 'operation' && (x.ns === NETCONF_NS || x.ns === ''));
  if (!a) return undefined;
  if (!OPERATIONS.has(a.value as EditOperation)) {
    throw new SimRpcError('bad-element', `invalid operation "${a.value}"`, { path, badElement: el.name, type: 'protocol' });
  }
  return a.value as EditOperation;
}

function sameEntry(a: XmlElement, b: XmlElement): boolean {
  if (a.name !== b.name || a.ns !== b.ns) return false;
  if (LIST_KEYS[a.name] !== undefined) return keyOf(a) === keyOf(b);
  if (LEAF_LISTS.has(a.name)) return a.text === b.text;
  return true;
}

/** A deep copy without nc:operation attributes. */
export function stripOperations(el: XmlElement): XmlElement {
  return {
    name: el.name,
    ns: el.ns,
    attrs: el.attrs.filter((a) => !(a.name === 'operation' && a.ns === NETCONF_NS)),
    children: el.children.map(stripOperations),
    text: el.children.length > 0 ? '' : el.text.trim(),
  };
}

function describe(el: XmlElement, path: string): string {
  const k = keyOf(el);
  return k === undefined ? path : `${path}[${LIST_KEYS[el.name]}='${k}']`;
}

/**
 * Applies one edit-config element to an existing element and returns the new element; `existing`
 * is not modified (copy-on-write along the edited path, so untouched subtrees keep their identity).
 * RFC 6241 §7.2 semantics; create on existing data → data-exists, delete on missing → data-missing.
 */
export function applyEdit(existing: XmlElement, edit: XmlElement, inherited: EditOperation, path: string): XmlElement {
  const children = [...existing.children];
  for (const e of edit.children) {
    const childPath = describe(e, `${path}/esc:${e.name}`);
    const op = operationOf(e, childPath) ?? inherited;
    const idx = children.findIndex((c) => sameEntry(c, e));
    const found = idx >= 0 ? children[idx] : undefined;
    if (op === 'delete' || op === 'remove') {
      if (!found && op === 'delete') throw new SimRpcError('data-missing', `${childPath} does not exist`, { path: childPath, badElement: e.name });
      if (found) children.splice(idx, 1);
      continue;
    }
    if (op === 'create' && found) throw new SimRpcError('data-exists', `${childPath} already exists`, { path: childPath, badElement: e.name });
    const isLeaf = e.children.length === 0;
    const base: XmlElement = found ?? { name: e.name, ns: e.ns, attrs: [], children: [], text: '' };
    const next = isLeaf || op === 'replace' ? stripOperations(e) : applyEdit(base, e, op === 'create' ? 'merge' : op, childPath);
    if (found) children[idx] = next;
    else children.push(next);
  }
  return { ...existing, children };
}
