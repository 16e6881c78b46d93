import type { XmlElement } from '../xml';
import { SimRpcError } from './sim-rpc-error';

const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/** List entries of the ESC data model and their key leaf (ESC NETCONF API guide, "ESC Datamodel"). */
export const LIST_KEYS: Readonly<Record<string, string>> = {
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
  // Guide "Create Flavor" (~line 1740) and "Create Vim User" (~line 813): flavors by name, VIM users by id.
  flavor: 'name',
  user: 'id',
};
/** Leaf-lists: repeated leaves that are kept as a whole. */
const LEAF_LISTS = new Set(['action']);

export type EditOperation = 'merge' | 'replace' | 'create' | 'delete' | 'remove';
const OPERATIONS = new Set<EditOperation>(['merge', 'replace', 'create', 'delete', 'remove']);

/** Key leaf of a list entry, or undefined for containers and leaves. */
export function keyOf(el: XmlElement): string | undefined {
  const key = LIST_KEYS[el.name];
  if (key === undefined) return undefined;
  // A loop, not find(): lists of thousands of deployments are searched on every edit.
  for (const c of el.children) if (c.name === key) return c.text.trim();
  return undefined;
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

/*
 * Keyed entries of a long list, by name and key, in list order: so that an edit finds its entry among
 * thousands of deployments without comparing keys all along the list. An index belongs to one children
 * array; trees are never changed in place, so it stays true for that array. applyEdit hands the index of
 * the array it copies on to the copy, updated for the entries it adds, replaces and removes (the original
 * array loses it and would build it again if it were ever edited again).
 */
type EntryIndex = Map<string, XmlElement[]>;
const indexes = new WeakMap<readonly XmlElement[], EntryIndex>();
/** Lists shorter than this are searched by comparing keys. */
const INDEXED_LENGTH = 32;

function isKeyed(name: string): boolean {
  return LIST_KEYS[name] !== undefined;
}

/** Index key of a keyed entry: its name and its key (an absent key differs from an empty one). */
function entryKey(name: string, key: string | undefined): string {
  return key === undefined ? `${name}\u0000\u0001` : `${name}\u0000${key}`;
}

function buildIndex(children: readonly XmlElement[]): EntryIndex {
  const index: EntryIndex = new Map();
  for (const c of children) if (isKeyed(c.name)) indexAdd(index, c);
  return index;
}

function indexAdd(index: EntryIndex, el: XmlElement): void {
  const k = entryKey(el.name, keyOf(el));
  const same = index.get(k);
  if (same) same.push(el);
  else index.set(k, [el]);
}

function indexRemove(index: EntryIndex, el: XmlElement): void {
  const k = entryKey(el.name, keyOf(el));
  const same = index.get(k);
  if (!same) return;
  const i = same.indexOf(el);
  if (i >= 0) same.splice(i, 1);
  if (same.length === 0) index.delete(k);
}

/** Puts `next` in the place of `old` when both have the same name and key; false otherwise (index unchanged). */
function indexReplace(index: EntryIndex, old: XmlElement, next: XmlElement): boolean {
  const k = entryKey(old.name, keyOf(old));
  if (entryKey(next.name, keyOf(next)) !== k) return false;
  const same = index.get(k);
  const i = same ? same.indexOf(old) : -1;
  if (i < 0) return false;
  same![i] = next;
  return true;
}

/** The index of a long list (built when missing), or undefined for a short one. */
export function entryIndexOf(children: readonly XmlElement[]): EntryIndex | undefined {
  let index = indexes.get(children);
  if (index === undefined && children.length >= INDEXED_LENGTH) indexes.set(children, (index = buildIndex(children)));
  return index;
}

/** Keyed entries of `children` with this name and key, in list order (a long list only: undefined for a short one). */
export function entriesNamed(children: readonly XmlElement[], name: string, key: string | undefined): readonly XmlElement[] | undefined {
  const index = entryIndexOf(children);
  return index === undefined ? undefined : (index.get(entryKey(name, key)) ?? []);
}

/** Index of the first of `children` that is the same entry as `e` (same name and namespace, same key or leaf-list value), or -1. */
function findEntry(children: readonly XmlElement[], e: XmlElement, index: EntryIndex | undefined): number {
  const keyed = isKeyed(e.name);
  const key = keyed ? keyOf(e) : undefined;
  if (keyed && index !== undefined) {
    for (const c of index.get(entryKey(e.name, key)) ?? []) if (c.ns === e.ns) return children.indexOf(c);
    return -1;
  }
  const leafList = !keyed && LEAF_LISTS.has(e.name);
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.name !== e.name || c.ns !== e.ns) continue;
    if (keyed ? keyOf(c) === key : !leafList || c.text === e.text) return i;
  }
  return -1;
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
  const children = existing.children.slice();
  let index = entryIndexOf(existing.children);
  if (index !== undefined) indexes.delete(existing.children); // handed on to `children`, updated below
  for (const e of edit.children) {
    const childPath = describe(e, `${path}/esc:${e.name}`);
    const op = operationOf(e, childPath) ?? inherited;
    const idx = findEntry(children, e, index);
    const found = idx >= 0 ? children[idx] : undefined;
    if (op === 'delete' || op === 'remove') {
      if (!found && op === 'delete')
        throw new SimRpcError('data-missing', `${childPath} does not exist`, { path: childPath, badElement: e.name });
      if (found) {
        children.splice(idx, 1);
        if (index !== undefined && isKeyed(found.name)) indexRemove(index, found);
      }
      continue;
    }
    if (op === 'create' && found)
      throw new SimRpcError('data-exists', `${childPath} already exists`, { path: childPath, badElement: e.name });
    const isLeaf = e.children.length === 0;
    const base: XmlElement = found ?? { name: e.name, ns: e.ns, attrs: [], children: [], text: '' };
    const next = isLeaf || op === 'replace' ? stripOperations(e) : applyEdit(base, e, op === 'create' ? 'merge' : op, childPath);
    if (found) children[idx] = next;
    else children.push(next);
    if (index !== undefined && isKeyed(e.name)) {
      if (!found)
        indexAdd(index, next); // appended: last in list order
      else if (!indexReplace(index, found, next)) index = undefined; // the key changed: rebuilt when needed
    }
  }
  if (index !== undefined) indexes.set(children, index);
  return { ...existing, children };
}
