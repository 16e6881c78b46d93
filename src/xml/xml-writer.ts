import type { XmlElement } from './xml-element';

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };
// XML 1.0 forbids most C0 control characters even as references; drop them instead of emitting invalid XML.
// eslint-disable-next-line no-control-regex
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// Any character escapeXmlText / escapeXmlAttr would change: most values have none, and one test is
// much cheaper than two replace passes.
// eslint-disable-next-line no-control-regex
const TEXT_SPECIAL = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const ATTR_SPECIAL = /[&<>"'\u0000-\u001F\uFFFE\uFFFF]/;

/** Escapes character data so that no string can open or close an element. */
export function escapeXmlText(value: string): string {
  if (!TEXT_SPECIAL.test(value)) return value;
  return value.replace(INVALID_CHARS, '').replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
}

/** Escapes an attribute value (for double- or single-quoted attributes). */
export function escapeXmlAttr(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return value;
  return value.replace(INVALID_CHARS, '').replace(/[&<>"'\n\r\t]/g, (c) => ATTR_ESCAPES[c]);
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$/;

/** A node to serialize. Element and attribute names come from code, never from requests. */
export interface XmlNode {
  name: string;
  /** Default namespace declared on this element (omit to inherit the parent's). */
  xmlns?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  children?: XmlContent[];
}
export type XmlContent = XmlNode | string | number | boolean | null | undefined;

/** Shorthand for building an {@link XmlNode}. Absent children (null/undefined) are skipped. */
export function xml(name: string, attrs?: XmlNode['attrs'] & { xmlns?: string }, ...children: XmlContent[]): XmlNode {
  const { xmlns, ...rest } = attrs ?? {};
  return { name, xmlns: xmlns, attrs: rest, children };
}

/** Serializes a node tree to a string; text and attribute values are escaped. */
export function writeXml(node: XmlContent): string {
  if (node === null || node === undefined) return '';
  if (typeof node !== 'object') return escapeXmlText(String(node));
  if (!NAME.test(node.name)) throw new Error(`invalid XML element name: ${JSON.stringify(node.name)}`);
  let out = `<${node.name}`;
  if (node.xmlns !== undefined) out += ` xmlns="${escapeXmlAttr(node.xmlns)}"`;
  for (const [k, v] of Object.entries(node.attrs ?? {})) {
    if (v === undefined) continue;
    if (!NAME.test(k)) throw new Error(`invalid XML attribute name: ${JSON.stringify(k)}`);
    out += ` ${k}="${escapeXmlAttr(String(v))}"`;
  }
  const kids = node.children ?? [];
  const body = kids.map(writeXml).join('');
  return body === '' ? `${out}/>` : `${out}>${body}</${node.name}>`;
}

/**
 * Serializes a parsed element back to XML, declaring each namespace as the default namespace where it
 * changes (attributes in other namespaces get generated prefixes).
 */
export function writeElement(el: XmlElement, parentNs = ''): string {
  let out = `<${el.name}`;
  if (el.ns !== parentNs) out += ` xmlns="${escapeXmlAttr(el.ns)}"`;
  let i = 0;
  for (const a of el.attrs) {
    if (a.ns === '') out += ` ${a.name}="${escapeXmlAttr(a.value)}"`;
    else if (a.ns === 'http://www.w3.org/XML/1998/namespace') out += ` xml:${a.name}="${escapeXmlAttr(a.value)}"`;
    else {
      const p = `a${i++}`;
      out += ` xmlns:${p}="${escapeXmlAttr(a.ns)}" ${p}:${a.name}="${escapeXmlAttr(a.value)}"`;
    }
  }
  const inner = el.children.length > 0 ? el.children.map((c) => writeElement(c, el.ns)).join('') : escapeXmlText(el.text);
  return inner === '' ? `${out}/>` : `${out}>${inner}</${el.name}>`;
}
