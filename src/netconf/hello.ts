import { childOf, childrenOf, parseXml, writeXml, xml, type XmlElement } from '../xml';
import { NetconfError } from './errors';
import type { FramingMode } from './framing';
import { BASE_11, NETCONF_BASE_NS } from './namespaces';

/** The content of a peer's <hello> (RFC 6241 §8.1). */
export interface HelloInfo {
  capabilities: string[];
  /** session-id as sent by the server (absent in a client hello). */
  sessionId?: string;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Builds a <hello> message (RFC 6241 §8.1). Capability URIs are escaped (a raw `&` in a URI would
 * make the hello ill-formed). A server passes its `sessionId`; a client omits it.
 */
export function buildHello(capabilities: string[], sessionId?: number): string {
  const caps = capabilities.map((c) => xml('capability', undefined, c));
  const sid = sessionId === undefined ? undefined : xml('session-id', undefined, sessionId);
  return XML_DECL + writeXml(xml('hello', { xmlns: NETCONF_BASE_NS }, xml('capabilities', undefined, ...caps), sid));
}

/**
 * Parses a <hello> by namespace (a prefixed `nc:hello` is the same element).
 * @throws NetconfError 'PROTOCOL' when the message is not a well-formed base:1.0 hello.
 */
export function parseHello(message: string): HelloInfo {
  let root: XmlElement;
  try {
    root = parseXml(message);
  } catch (err) {
    throw new NetconfError('PROTOCOL', `malformed <hello>: ${(err as Error).message}`, { step: 'parse hello' }, { cause: err });
  }
  return helloFromElement(root);
}

/** Reads capabilities and session-id from an already parsed <hello> element. */
export function helloFromElement(root: XmlElement): HelloInfo {
  if (root.name !== 'hello' || root.ns !== NETCONF_BASE_NS) {
    throw new NetconfError('PROTOCOL', `expected <hello> in ${NETCONF_BASE_NS}, got <${root.name}> in "${root.ns}"`, {
      step: 'parse hello',
    });
  }
  const capsEl = childOf(root, 'capabilities', NETCONF_BASE_NS);
  const capabilities = childrenOf(capsEl, 'capability', NETCONF_BASE_NS)
    .map((c) => c.text.trim())
    .filter((c) => c !== '');
  if (capabilities.length === 0) throw new NetconfError('PROTOCOL', '<hello> lists no capabilities', { step: 'parse hello' });
  const sidEl = childOf(root, 'session-id', NETCONF_BASE_NS);
  const sessionId = sidEl?.text.trim();
  return sessionId ? { capabilities, sessionId } : { capabilities };
}

/** True when the capability list contains `uri`, ignoring any `?query` parameters. */
export function hasCapability(capabilities: readonly string[], uri: string): boolean {
  return capabilities.some((c) => c === uri || c.split('?', 1)[0] === uri);
}

/**
 * Picks the framing for the rest of the session (RFC 6242 §4.1): chunked when both hellos list
 * base:1.1, end-of-message otherwise or when `forceBase10` is set.
 */
export function chooseFraming(ours: readonly string[], theirs: readonly string[], forceBase10 = false): FramingMode {
  if (forceBase10) return 'eom';
  return hasCapability(ours, BASE_11) && hasCapability(theirs, BASE_11) ? 'chunked' : 'eom';
}
