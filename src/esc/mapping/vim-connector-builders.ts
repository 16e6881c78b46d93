import { xml, type XmlNode } from '../../xml';
import { ESC_NS } from './esc-namespace';

/** What ESC needs to reach an OpenStack VIM (from NSLCM's VIM record). */
export interface VimConnectorSpec {
  id: string;
  authUrl: string;
  project: string;
  /** Keystone domain of the project and of the user (default `default`, as in the guide). */
  domain?: string;
}

/** The VIM user ESC authenticates with. The password goes into the XML only, never into a log line. */
export interface VimUserSpec {
  connectorId: string;
  userName: string;
  password: string;
  domain?: string;
}

function properties(pairs: [string, string][]): XmlNode {
  return xml('properties', {}, ...pairs.map(([name, value]) => xml('property', {}, xml('name', {}, name), xml('value', {}, value))));
}

function systemConfig(connector: XmlNode[]): XmlNode {
  return xml('esc_system_config', { xmlns: ESC_NS }, xml('vim_connectors', {}, xml('vim_connector', {}, ...connector)));
}

/** Keystone API version of an auth URL: 3 unless it ends in /v2.0. */
function identityVersion(url: string): string {
  return /\/v2(\.0)?\/?$/.test(url) ? '2' : '3';
}

/**
 * edit-config content creating a VIM connector (guide: "Create Vim Connector", ~lines 552-600): OPENSTACK type,
 * os_auth_url, os_project_name, os_project_domain_name and os_identity_api_version properties.
 */
export function buildVimConnectorConfig(c: VimConnectorSpec): XmlNode {
  return systemConfig([
    xml('id', {}, c.id),
    xml('type', {}, 'OPENSTACK'),
    properties([
      ['os_auth_url', c.authUrl],
      ['os_project_name', c.project],
      ['os_project_domain_name', c.domain ?? 'default'],
      ['os_identity_api_version', identityVersion(c.authUrl)],
    ]),
  ]);
}

/**
 * edit-config content adding the connector's VIM user (guide: "Create Vim User", ~lines 800-838): a workflow of
 * its own, sent after CREATE_VIM_CONNECTOR succeeded.
 */
export function buildVimUserConfig(u: VimUserSpec): XmlNode {
  return systemConfig([
    xml('id', {}, u.connectorId),
    xml(
      'users',
      {},
      xml(
        'user',
        {},
        xml('id', {}, u.userName),
        xml(
          'credentials',
          {},
          properties([
            ['os_password', u.password],
            ['os_user_domain_name', u.domain ?? 'default'],
          ]),
        ),
      ),
    ),
  ]);
}

/** Subtree filter for the VIM connectors in ESC's opdata (guide ~lines 632-660: id, status, status_message). */
export function vimConnectorsOpdataFilter(): XmlNode {
  return xml('esc_datamodel', { xmlns: ESC_NS }, xml('opdata', {}, xml('system_config', {}, xml('vim_connectors', {}))));
}
