/** Namespace of every ESC data model element (ESC NETCONF API guide, "ESC Datamodel"). */
export const ESC_NS = 'http://www.cisco.com/esc/esc';
/** NETCONF base namespace, used for the `nc:operation` attribute on edit-config nodes. */
export const NETCONF_BASE_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
