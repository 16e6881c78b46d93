/**
 * Namespace and capability URIs of the NETCONF base protocol and its notification extension.
 * RFC 6241 §8 (capabilities), RFC 5277 §3.1 (notifications), RFC 6242 §4.1 (base:1.1 framing).
 */

/** Namespace of hello, rpc, rpc-reply, rpc-error and the base operations (RFC 6241 §3.1). */
export const NETCONF_BASE_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
/** Namespace of create-subscription and <notification> (RFC 5277 §4). */
export const NOTIFICATION_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
/** Namespace of the standard base notifications such as netconf-config-change (RFC 6470). */
export const NETCONF_NOTIFICATIONS_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';

/** base:1.0 capability: end-of-message framing only (RFC 6241 §8.1). */
export const BASE_10 = 'urn:ietf:params:netconf:base:1.0';
/** base:1.1 capability: chunked framing once both peers advertise it (RFC 6242 §4.1). */
export const BASE_11 = 'urn:ietf:params:netconf:base:1.1';
/** :notification capability (RFC 5277 §3.1). */
export const CAP_NOTIFICATION = 'urn:ietf:params:netconf:capability:notification:1.0';
/** :writable-running capability (RFC 6241 §8.2). */
export const CAP_WRITABLE_RUNNING = 'urn:ietf:params:netconf:capability:writable-running:1.0';

/** Capabilities a client advertises by default. */
export const DEFAULT_CLIENT_CAPABILITIES: readonly string[] = [BASE_10, BASE_11];
