import { SaxesParser } from 'saxes';
import type { XmlElement } from './xml-element';

/** Raised for input that is not well-formed XML (or has no root element). */
export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/** What the handlers of the parser build while one document is parsed. */
interface ParseState {
  stack: XmlElement[];
  root?: XmlElement;
  failure?: Error;
}

/** A saxes parser with handlers that build into `state`; saxes is ready for the next document after close(). */
function newParser(state: ParseState): SaxesParser<{ xmlns: true; position: false }> {
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('error', (err) => {
    state.failure ??= err;
  });
  parser.on('doctype', () => {
    state.failure ??= new XmlParseError('DOCTYPE is not allowed');
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = {
      name: tag.local ?? tag.name,
      ns: tag.uri ?? '',
      attrs: [],
      children: [],
      text: '',
    };
    // A for-in, not Object.values: most elements have no attribute, and an array per element adds up (~2 % of
    // what a busy driver allocates).
    for (const key in tag.attributes) {
      const a = tag.attributes[key];
      if (typeof a === 'string') continue;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      el.attrs.push({ name: a.local, ns: a.uri ?? '', value: a.value });
    }
    const parent = state.stack[state.stack.length - 1];
    if (parent) parent.children.push(el);
    else if (!state.root) state.root = el;
    state.stack.push(el);
  });
  parser.on('closetag', () => {
    state.stack.pop();
  });
  const onText = (t: string): void => {
    const cur = state.stack[state.stack.length - 1];
    if (cur) cur.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  return parser;
}

const shared: ParseState = { stack: [] };
/**
 * One parser serves every document (setting one up costs about as much as parsing a NETCONF notification); it is
 * replaced after a document it failed on, so that no state of a malformed document reaches the next one.
 */
let parser: SaxesParser<{ xmlns: true; position: false }> | undefined;

/**
 * Parses one XML document into an {@link XmlElement} tree with namespaces resolved.
 * Comments and processing instructions are dropped; DTDs are refused (no entity expansion).
 */
export function parseXml(xml: string): XmlElement {
  shared.stack = [];
  shared.root = undefined;
  shared.failure = undefined;
  parser ??= newParser(shared);
  try {
    parser.write(xml).close();
  } catch (err) {
    shared.failure ??= err as Error;
  }
  const { root, failure } = shared;
  shared.stack = [];
  shared.root = undefined;
  shared.failure = undefined;
  if (failure) {
    parser = undefined;
    throw new XmlParseError(`malformed XML: ${failure.message}`);
  }
  if (!root) throw new XmlParseError('malformed XML: no root element');
  return root;
}
