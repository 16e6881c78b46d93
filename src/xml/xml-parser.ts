import { SaxesParser } from 'saxes';
import type { XmlElement } from './xml-element';

/** Raised for input that is not well-formed XML (or has no root element). */
export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/**
 * Parses one XML document into an {@link XmlElement} tree with namespaces resolved.
 * Comments and processing instructions are dropped; DTDs are refused (no entity expansion).
 */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;

  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('doctype', () => {
    failure ??= new XmlParseError('DOCTYPE is not allowed');
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = {
      name: tag.local ?? tag.name,
      ns: tag.uri ?? '',
      attrs: [],
      children: [],
      text: '',
    };
    for (const a of Object.values(tag.attributes)) {
      if (typeof a === 'string') continue;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      el.attrs.push({ name: a.local, ns: a.uri ?? '', value: a.value });
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (!root) root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string): void => {
    const cur = stack[stack.length - 1];
    if (cur) cur.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    parser.write(xml).close();
  } catch (err) {
    failure ??= err as Error;
  }
  if (failure) throw new XmlParseError(`malformed XML: ${failure.message}`);
  if (!root) throw new XmlParseError('malformed XML: no root element');
  return root;
}
