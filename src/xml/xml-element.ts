/**
 * A parsed XML element with namespaces resolved: code matches on (namespace URI, local name),
 * never on the prefix a peer happened to choose (`nc:rpc-reply` and `rpc-reply` are the same).
 */
export interface XmlAttribute {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI of the attribute ('' for unprefixed attributes). */
  ns: string;
  value: string;
}

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ('' when the element is in no namespace). */
  ns: string;
  attrs: XmlAttribute[];
  children: XmlElement[];
  /** Concatenated character data directly inside this element (not of its children). */
  text: string;
}

/** First child with the local name (and namespace, when given). */
export function childOf(el: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  if (!el) return undefined;
  return el.children.find((c) => c.name === name && (ns === undefined || c.ns === ns));
}

/** All children with the local name (and namespace, when given). */
export function childrenOf(el: XmlElement | undefined, name: string, ns?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => c.name === name && (ns === undefined || c.ns === ns));
}

/** Trimmed text of the first child with that name, or undefined when absent. */
export function textOf(el: XmlElement | undefined, name: string, ns?: string): string | undefined {
  const c = childOf(el, name, ns);
  return c === undefined ? undefined : c.text.trim();
}

/** Follows a path of local names from `el`, taking the first match at each step. */
export function pathOf(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = childOf(cur, n);
  return cur;
}

/** Attribute value by local name (and namespace, when given). */
export function attrOf(el: XmlElement | undefined, name: string, ns?: string): string | undefined {
  return el?.attrs.find((a) => a.name === name && (ns === undefined || a.ns === ns))?.value;
}
