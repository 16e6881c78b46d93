import type { XmlElement } from '../xml';
import type { OpdataScope } from './data-filter';
import type { DeploymentState, EscState, NetworkState, TenantState, VmInstance } from './esc-state';
import { ESC_NS } from './simulator-types';

function el(name: string, ...children: (XmlElement | undefined)[]): XmlElement {
  return { name, ns: ESC_NS, attrs: [], children: children.filter((c): c is XmlElement => c !== undefined), text: '' };
}

function leaf(name: string, value: string | number | boolean): XmlElement {
  return { name, ns: ESC_NS, attrs: [], children: [], text: String(value) };
}

function vmInstance(vm: VmInstance): XmlElement {
  const ifs = vm.interfaces.map((i) =>
    el(
      'interface',
      leaf('nicid', i.nicid),
      leaf('type', 'virtual'),
      leaf('port_id', i.portId),
      leaf('network', i.networkId),
      leaf('subnet', i.subnetId),
      leaf('ip_address', i.ip),
      leaf('mac_address', i.mac),
      leaf('netmask', i.netmask),
      leaf('gateway', i.gateway),
    ),
  );
  return el(
    'vm_instance',
    leaf('vm_id', vm.vmId),
    leaf('name', vm.name),
    leaf('host_id', vm.hostId),
    leaf('hostname', vm.hostname),
    ifs.length ? el('interfaces', ...ifs) : undefined,
  );
}

/** One opdata `deployments` entry (guide, "Deploy Service" operational data). */
export function writeDeploymentOpdata(dep: DeploymentState): XmlElement {
  const groupNames = [...new Set([...dep.groups.map((g) => g.name), ...dep.vms.map((v) => v.group)])];
  const groups = groupNames.map((g) => el('vm_group', leaf('name', g), ...dep.vms.filter((v) => v.group === g).map(vmInstance)));
  const sm = dep.vms.map((v) => el('vm_state_machine', leaf('vm_name', v.name), leaf('state', v.state)));
  return el(
    'deployments',
    leaf('deployment_name', dep.name),
    leaf('deployment_id', dep.deploymentId),
    ...groups,
    el('state_machine', leaf('state', dep.state), sm.length ? el('vm_state_machines', ...sm) : undefined),
  );
}

function network(n: NetworkState): XmlElement {
  const subnet = n.subnetName
    ? el(
        'subnets',
        el(
          'subnet',
          leaf('name', n.subnetName),
          leaf('subnetid', n.subnetId),
          leaf('cidr', `${n.address}/${prefixLength(n.netmask)}`),
          leaf('gateway', n.gateway),
          leaf('dhcp', n.dhcp),
          leaf('ipversion', n.ipVersion === 'ipv6' ? 6 : 4),
        ),
      )
    : undefined;
  return el('network', leaf('name', n.name), leaf('netid', n.netId), leaf('shared', false), leaf('status', 'active'), subnet);
}

function prefixLength(mask: string): number {
  return mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** A tenant's deployments in the scope (all when `wanted` is undefined), in the tenant's order. */
function deploymentsIn(t: TenantState, wanted: ReadonlySet<string> | undefined): DeploymentState[] {
  if (wanted === undefined) return [...t.deployments.values()];
  if (wanted.size === 1) {
    const only = t.deployments.get([...wanted][0]);
    return only ? [only] : [];
  }
  return [...t.deployments.values()].filter((d) => wanted.has(d.name));
}

/**
 * The `opdata` container (guide, "Fetching all operational data"): status, tenants with
 * tenant_id, networks and deployments. Tenants appear once CREATE_TENANT has been activated.
 * With a scope (data-filter.ts), only the tenants and deployments in it are written.
 */
export function writeOpdata(state: EscState, uptimeS: number, scope?: OpdataScope): XmlElement {
  const tenants = [...state.tenants.values()]
    .filter((t) => (t.active || t.deployments.size > 0) && (scope === undefined || scope.has(t.name)))
    .map((t) =>
      el(
        'tenant',
        leaf('name', t.name),
        leaf('tenant_id', t.tenantId),
        t.networks.size ? el('networks', ...[...t.networks.values()].map(network)) : undefined,
        ...deploymentsIn(t, scope?.get(t.name)).map(writeDeploymentOpdata),
      ),
    );
  // Flavors: name, flavor_id, public (guide "Create Flavor" opdata, ~lines 1786-1811; flavors ESC creates are
  // shown public, as in the guide's example). VIM connectors: id, status, status_message under
  // opdata/system_config ("Create Vim Connector" opdata, ~lines 625-660). Documented assumption: the guide
  // gives a status_message only for CONNECTION_SUCCESSFUL ("Successfully connected to VIM", ~line 655); the
  // NO_CREDENTIALS one is the simulator's.
  const flavors = [...state.flavors.values()].map((f) =>
    el('flavor', leaf('name', f.name), leaf('flavor_id', f.flavorId), leaf('public', true)),
  );
  const connectors = [...state.vimConnectors.values()].map((c) =>
    el(
      'vim_connector',
      leaf('id', c.id),
      leaf('status', c.status),
      leaf('status_message', c.status === 'CONNECTION_SUCCESSFUL' ? 'Successfully connected to VIM' : 'No Vim User credentials'),
    ),
  );
  return el(
    'opdata',
    leaf('status', 'OPER_UP'),
    el('stats', leaf('hostname', 'esc-simulator'), leaf('os_name', 'Linux'), leaf('uptime', uptimeS)),
    connectors.length ? el('system_config', el('vim_connectors', ...connectors)) : undefined,
    el('tenants', ...tenants),
    flavors.length ? el('flavors', ...flavors) : undefined,
  );
}
