import type { DeploymentState, EscState, VmInstance } from './esc-state';
import type { EscEvent } from './esc-event-writer';

/** Builds escEvents with the deployment / VM fields filled the way ESC fills them (guide, "Event Notifications"). */
export class EventFactory {
  constructor(private readonly state: EscState) {}

  private tenantId(tenant: string): string | undefined {
    return this.state.tenants.get(tenant)?.tenantId;
  }

  /** A deployment-level event (SERVICE_*): no vm_group, empty vm_source / vm_target. */
  service(dep: DeploymentState, type: string, message: string, ok = true): EscEvent {
    return {
      type,
      status: ok ? 'SUCCESS' : 'FAILURE',
      statusCode: ok ? 200 : 500,
      message,
      depname: dep.name,
      tenant: dep.tenant,
      tenantId: this.tenantId(dep.tenant),
      depid: dep.depId,
    };
  }

  /** A VM-level event: vm_group and vm_source set, optional vm_target (recovery). */
  vm(dep: DeploymentState, vm: VmInstance, type: string, message: string, ok = true, target?: VmInstance, code?: number): EscEvent {
    return {
      type,
      status: ok ? 'SUCCESS' : 'FAILURE',
      statusCode: code ?? (ok ? 200 : 500),
      message,
      depname: dep.name,
      tenant: dep.tenant,
      tenantId: this.tenantId(dep.tenant),
      depid: dep.depId,
      vmGroup: vm.group,
      vmSource: vm,
      vmTarget: target,
    };
  }

  /** A tenant-level event (CREATE_TENANT / DELETE_TENANT). */
  tenant(tenant: string, type: string, message: string, ok = true): EscEvent {
    return { type, status: ok ? 'SUCCESS' : 'FAILURE', statusCode: ok ? 200 : 500, message, tenant, tenantId: this.tenantId(tenant) };
  }

  /**
   * A network-level event (CREATE_NETWORK, DELETE_SUBNET, …) tied to a deployment, naming the network and, for a
   * subnet event, the subnet (guide, "Create Network" lines ~1354-1375, "Create Subnet" lines ~1478-1500).
   */
  network(dep: DeploymentState, type: string, message: string, ok = true, names: { network?: string; subnet?: string } = {}): EscEvent {
    return {
      ...names,
      type,
      status: ok ? 'SUCCESS' : 'FAILURE',
      statusCode: ok ? 200 : 500,
      message,
      tenant: dep.tenant,
      tenantId: this.tenantId(dep.tenant),
      depname: dep.name,
      depid: dep.depId,
    };
  }
}
