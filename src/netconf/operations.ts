import { escapeXmlAttr, escapeXmlText, parseXml, writeXml, type XmlNode } from '../xml';
import { NetconfError } from './errors';
import { NETCONF_BASE_NS, NOTIFICATION_NS } from './namespaces';

/**
 * Builders for the RFC 6241 §7 operations and RFC 5277 create-subscription. Each returns the
 * operation element as XML text for the body of an <rpc>. Every value is escaped. Caller content (config,
 * subtree filters) is best given as an XmlNode, written once with escaping and never parsed; content given
 * as text must be well-formed on its own (it is parsed to check), so it cannot close the element it is put in.
 */

/** A configuration datastore name (RFC 6241 §5.1). */
export type Datastore = 'running' | 'candidate' | 'startup' | (string & {});

/** A subtree (RFC 6241 §6) or XPath (RFC 6241 §8.9) filter. */
export type Filter =
  { type: 'subtree'; content: string | XmlNode } | { type: 'xpath'; select: string; namespaces?: Record<string, string> };

/** edit-config parameters (RFC 6241 §7.2). */
export interface EditConfigParams {
  target: Datastore;
  config: string | XmlNode;
  defaultOperation?: 'merge' | 'replace' | 'none';
  errorOption?: 'stop-on-error' | 'continue-on-error' | 'rollback-on-error';
  testOption?: 'test-then-set' | 'set' | 'test-only';
}

/** create-subscription parameters (RFC 5277 §2.1.1). Times are RFC 3339 strings or Dates. */
export interface SubscriptionParams {
  stream?: string;
  filter?: Filter;
  startTime?: string | Date;
  stopTime?: string | Date;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const PREFIX = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function checkName(kind: string, value: string): string {
  if (!NAME.test(value)) throw new NetconfError('PROTOCOL', `invalid ${kind} ${JSON.stringify(value)}`, { step: 'build rpc' });
  return value;
}

/**
 * Returns the fragment if it is well-formed XML content, else throws: a string that would close or
 * open elements outside itself is refused instead of being sent.
 */
export function checkFragment(kind: string, fragment: string): string {
  try {
    parseXml(`<fragment>${fragment}</fragment>`);
  } catch (err) {
    throw new NetconfError('PROTOCOL', `${kind} is not well-formed XML: ${(err as Error).message}`, { step: 'build rpc' }, { cause: err });
  }
  return fragment;
}

/** XML text of a string fragment (parsed to check it) or a node (written with escaping, not parsed). */
export function contentXml(kind: string, content: string | XmlNode): string {
  return typeof content === 'string' ? checkFragment(kind, content) : writeXml(content);
}

function leaf(name: string, value: string): string {
  return `<${name}>${escapeXmlText(value)}</${name}>`;
}

function datastore(wrapper: 'source' | 'target', name: Datastore): string {
  return `<${wrapper}><${checkName('datastore', name)}/></${wrapper}>`;
}

/** `<filter>` element; `xmlns` is set when the filter lives in another namespace than its parent. */
export function buildFilter(filter: Filter, xmlns?: string): string {
  const nsAttr = xmlns ? ` xmlns="${escapeXmlAttr(xmlns)}"` : '';
  if (filter.type === 'subtree') {
    return `<filter${nsAttr} type="subtree">${contentXml('subtree filter', filter.content)}</filter>`;
  }
  let decls = '';
  for (const [prefix, uri] of Object.entries(filter.namespaces ?? {})) {
    if (!PREFIX.test(prefix) || prefix.toLowerCase().startsWith('xml')) {
      throw new NetconfError('PROTOCOL', `invalid namespace prefix ${JSON.stringify(prefix)}`, { step: 'build rpc' });
    }
    decls += ` xmlns:${prefix}="${escapeXmlAttr(uri)}"`;
  }
  return `<filter${nsAttr}${decls} type="xpath" select="${escapeXmlAttr(filter.select)}"/>`;
}

/** `<get>` (RFC 6241 §7.7). */
export function buildGet(filter?: Filter): string {
  return filter ? `<get>${buildFilter(filter)}</get>` : '<get/>';
}

/** `<get-config>` (RFC 6241 §7.1). */
export function buildGetConfig(source: Datastore, filter?: Filter): string {
  return `<get-config>${datastore('source', source)}${filter ? buildFilter(filter) : ''}</get-config>`;
}

/** `<edit-config>` (RFC 6241 §7.2); the parameters appear in the order the schema requires. */
export function buildEditConfig(p: EditConfigParams): string {
  let out = `<edit-config>${datastore('target', p.target)}`;
  if (p.defaultOperation) out += leaf('default-operation', p.defaultOperation);
  if (p.testOption) out += leaf('test-option', p.testOption);
  if (p.errorOption) out += leaf('error-option', p.errorOption);
  return `${out}<config>${contentXml('config', p.config)}</config></edit-config>`;
}

/** `<lock>` / `<unlock>` (RFC 6241 §7.5, §7.6). */
export function buildLock(op: 'lock' | 'unlock', target: Datastore): string {
  return `<${op}>${datastore('target', target)}</${op}>`;
}

/** `<close-session/>` (RFC 6241 §7.8). */
export function buildCloseSession(): string {
  return '<close-session/>';
}

function timeText(t: string | Date): string {
  return t instanceof Date ? t.toISOString() : t;
}

/** `<create-subscription>` in the RFC 5277 namespace (§2.1.1). */
export function buildCreateSubscription(p: SubscriptionParams = {}): string {
  let out = `<create-subscription xmlns="${NOTIFICATION_NS}">`;
  if (p.stream !== undefined) out += leaf('stream', p.stream);
  if (p.filter) out += buildFilter(p.filter);
  if (p.startTime !== undefined) out += leaf('startTime', timeText(p.startTime));
  if (p.stopTime !== undefined) out += leaf('stopTime', timeText(p.stopTime));
  return `${out}</create-subscription>`;
}

/** The <rpc> envelope (RFC 6241 §4.1) around an operation; message-id is escaped. */
export function buildRpc(messageId: string, operation: string): string {
  return `<rpc xmlns="${NETCONF_BASE_NS}" message-id="${escapeXmlAttr(messageId)}">${operation}</rpc>`;
}
