import { childOf, childrenOf, textOf, type XmlElement } from '../xml';
import type { RpcErrorDetail } from './errors';
import { NETCONF_BASE_NS, NOTIFICATION_NS } from './namespaces';

/** A received <notification> (RFC 5277 §4): eventTime as sent, the event element and the raw message. */
export interface NetconfNotification {
  /** eventTime text as sent (RFC 3339, e.g. `2026-11-23T12:08:19Z` or `...04.741+00:00`). */
  eventTime: string;
  /** The event content: the first child of <notification> other than <eventTime>. */
  body: XmlElement;
  /** The whole message as received. */
  raw: string;
}

/** Extracts every <rpc-error> of an <rpc-reply>, in document order (RFC 6241 §4.3). */
export function parseRpcErrors(reply: XmlElement): RpcErrorDetail[] {
  return childrenOf(reply, 'rpc-error', NETCONF_BASE_NS).map((raw) => {
    const detail: RpcErrorDetail = {
      type: textOf(raw, 'error-type', NETCONF_BASE_NS) ?? '',
      tag: textOf(raw, 'error-tag', NETCONF_BASE_NS) ?? '',
      severity: textOf(raw, 'error-severity', NETCONF_BASE_NS) ?? '',
      raw,
    };
    const appTag = textOf(raw, 'error-app-tag', NETCONF_BASE_NS);
    const path = textOf(raw, 'error-path', NETCONF_BASE_NS);
    const message = textOf(raw, 'error-message', NETCONF_BASE_NS);
    const info = childOf(raw, 'error-info', NETCONF_BASE_NS);
    if (appTag !== undefined) detail.appTag = appTag;
    if (path !== undefined) detail.path = path;
    if (message !== undefined) detail.message = message;
    if (info !== undefined) detail.info = info;
    return detail;
  });
}

/** True when the element is a <notification> in the RFC 5277 namespace. */
export function isNotification(el: XmlElement): boolean {
  return el.name === 'notification' && el.ns === NOTIFICATION_NS;
}

/** True when the element is an <rpc-reply> in the base namespace (any prefix). */
export function isRpcReply(el: XmlElement): boolean {
  return el.name === 'rpc-reply' && el.ns === NETCONF_BASE_NS;
}

/** Reads eventTime and the event element of a <notification>; undefined when it has no event. */
export function toNotification(el: XmlElement, raw: string): NetconfNotification | undefined {
  const eventTime = textOf(el, 'eventTime', NOTIFICATION_NS) ?? '';
  const body = el.children.find((c) => !(c.name === 'eventTime' && c.ns === NOTIFICATION_NS));
  return body ? { eventTime, body, raw } : undefined;
}
