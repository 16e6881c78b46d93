/**
 * The simulator's operational state: what ESC would report in esc_datamodel/opdata
 * (ESC NETCONF API guide, "Operational Data").
 */

/** Service state machine states (opdata state_machine/state). */
export type ServiceState =
  | 'SERVICE_INERT_STATE'
  | 'SERVICE_DEPLOYING_STATE'
  | 'SERVICE_ACTIVE_STATE'
  | 'SERVICE_UPDATING_STATE'
  | 'SERVICE_UNDEPLOYING_STATE'
  | 'SERVICE_STOPPED_STATE'
  | 'SERVICE_ERROR_STATE';

/** VM state machine states (opdata vm_state_machine/state). */
export type VmState =
  | 'VM_DEPLOYING_STATE'
  | 'VM_BOOTING_STATE'
  | 'VM_ALIVE_STATE'
  | 'VM_SHUTOFF_STATE'
  | 'VM_REBOOTING_STATE'
  | 'VM_MONITOR_DISABLED_STATE'
  | 'VM_RECOVERING_STATE'
  | 'VM_UNDEPLOYING_STATE'
  | 'VM_ERROR_STATE';

export interface VmInterface {
  nicid: string;
  portId: string;
  networkName: string;
  networkId: string;
  subnetId: string;
  ip: string;
  mac: string;
  netmask: string;
  gateway: string;
}

export interface VmInstance {
  vmId: string;
  name: string;
  group: string;
  hostId: string;
  hostname: string;
  state: VmState;
  interfaces: VmInterface[];
}

/** A network known to a tenant (ephemeral ones belong to a deployment). */
export interface NetworkState {
  name: string;
  netId: string;
  subnetName?: string;
  subnetId: string;
  /** Subnet leaves as configured (guide, Deploy Service networks/network/subnet, lines ~2145-2156). */
  ipVersion: 'ipv4' | 'ipv6';
  dhcp: boolean;
  address: string;
  netmask: string;
  gateway: string;
  ephemeralOf?: string;
}

export interface DeploymentState {
  name: string;
  tenant: string;
  /** opdata deployment_id (ESC: tenant + deployment + registration name). */
  deploymentId: string;
  /** escEvent depid (a UUID). */
  depId: string;
  state: ServiceState;
  /** vm_group names in configuration order, with their min_active. */
  groups: { name: string; count: number }[];
  vms: VmInstance[];
  /** Set while an activation workflow runs; a new workflow on a busy deployment is refused. */
  busy: boolean;
}

export interface TenantState {
  name: string;
  tenantId: string;
  /** False until CREATE_TENANT has been activated. */
  active: boolean;
  /**
   * Key of the job whose CREATE_TENANT step has not run yet, if any: deployments into the tenant meanwhile do
   * not send CREATE_TENANT again (ESC creates a tenant once).
   */
  creatingIn?: string;
  networks: Map<string, NetworkState>;
  deployments: Map<string, DeploymentState>;
}

/** A flavor ESC created in the VIM (guide, "Create Flavor", operational data ~lines 1783-1815). */
export interface FlavorState {
  name: string;
  flavorId: string;
}

/**
 * Vim connector status in opdata (guide, "Create Vim Connector", ~lines 625-627): NO_CREDENTIALS until a
 * Vim User is added, CONNECTION_SUCCESSFUL once it is ("Create Vim User" ~lines 868-870), NO_CREDENTIALS again
 * once it is deleted ("Delete Vim User" ~line 963). Documented assumption: the simulated VIM is always
 * reachable and accepts any credentials, so CONNECTION_FAILED and AUTHENTICATION_FAILED never occur.
 */
export type VimConnectorStatus = 'NO_CREDENTIALS' | 'CONNECTION_SUCCESSFUL';

/** A VIM connector ESC has activated (guide, "Create Vim Connector" / "Create Vim User"). */
export interface VimConnectorState {
  id: string;
  status: VimConnectorStatus;
  /** The one Vim User of the connector (guide ~line 801: one user per connector), once activated. */
  user?: string;
  /**
   * Projects that exist in the VIM behind the connector (its os_project_name, plus any given at start): a
   * locator's vim_project must be one of them (guide "Deploy Multi-vim Service" ~line 2876, an out-of-band
   * project of the target VIM). Documented assumption: the guide does not say which projects a VIM has.
   */
  projects: Set<string>;
}

/** All tenants, plus an index of VMs by name (vmAction addresses VMs by name). */
export class EscState {
  readonly tenants = new Map<string, TenantState>();
  /** Flavors whose CREATE_FLAVOR was activated, by name. */
  readonly flavors = new Map<string, FlavorState>();
  /** VIM connectors whose CREATE_VIM_CONNECTOR was activated, by id. */
  readonly vimConnectors = new Map<string, VimConnectorState>();
  private readonly vmsByName = new Map<string, { vm: VmInstance; dep: DeploymentState }>();

  deployment(tenant: string, name: string): DeploymentState | undefined {
    return this.tenants.get(tenant)?.deployments.get(name);
  }

  findVm(name: string): { vm: VmInstance; dep: DeploymentState } | undefined {
    return this.vmsByName.get(name);
  }

  addVm(dep: DeploymentState, vm: VmInstance): void {
    dep.vms.push(vm);
    this.vmsByName.set(vm.name, { vm, dep });
  }

  removeVm(dep: DeploymentState, vm: VmInstance): void {
    dep.vms = dep.vms.filter((v) => v !== vm);
    if (this.vmsByName.get(vm.name)?.vm === vm) this.vmsByName.delete(vm.name);
  }

  /** Swaps a VM for its replacement (recovery redeploy): same name, new id and ports. */
  replaceVm(dep: DeploymentState, old: VmInstance, next: VmInstance): void {
    dep.vms = dep.vms.map((v) => (v === old ? next : v));
    this.vmsByName.set(next.name, { vm: next, dep });
  }

  removeDeployment(dep: DeploymentState): void {
    for (const vm of [...dep.vms]) this.removeVm(dep, vm);
    this.tenants.get(dep.tenant)?.deployments.delete(dep.name);
  }
}
