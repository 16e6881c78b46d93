import type { VmView } from '../esc/deployment-view';
import type { EscEventView, EventVmRef } from '../esc/esc-event-view';
import type { Log } from '../logging/log';
import type { ChangeType, LifecycleOperation } from '../nslcm/nslcm-types';
import { buildAffectedArrays, type GroupIndex } from './affected-builder';
import type { NotifyOutboxPort, VnfByDeploymentLookup } from './ports';

/** What ESC did on its own, as NSLCM must hear it (operation and change per event type). */
const REPORTS: Record<
  string,
  { operation: LifecycleOperation; changes: (e: EscEventView) => Array<{ changeType: ChangeType; vm?: EventVmRef }> }
> = {
  // Recovery may redeploy the VM: the new one (vm_target) is reported MODIFIED in place of the old one.
  VM_RECOVERY_COMPLETE: { operation: 'Heal', changes: (e) => [{ changeType: 'MODIFIED', vm: e.vmTarget ?? e.vmSource }] },
  VM_SCALE_OUT_COMPLETE: { operation: 'Scaleout', changes: (e) => [{ changeType: 'ADDED', vm: e.vmTarget ?? e.vmSource }] },
  VM_SCALE_IN_COMPLETE: { operation: 'Scalein', changes: (e) => [{ changeType: 'REMOVED', vm: e.vmSource }] },
};

/**
 * Reports ESC-initiated changes (auto-recovery, elastic scaling) on deployments this driver owns to
 * NSLCM as a RESULT Notify through the durable outbox, so that NSLCM's inventory stays true.
 * FAILURE events and deployments of others are logged only.
 */
export function createUnsolicitedEventHandler(deps: {
  vnfs: VnfByDeploymentLookup;
  outbox: NotifyOutboxPort;
  log: Log;
  newId: () => string;
}): (event: EscEventView) => Promise<void> {
  return async (event) => {
    const report = REPORTS[event.type];
    if (!report || !event.tenant || !event.depname) return;
    const vnf = await deps.vnfs.findByDeployment(event.tenant, event.depname);
    if (!vnf) {
      deps.log.debug('ESC-initiated event on a deployment we do not own', { type: event.type, depname: event.depname });
      return;
    }
    if (event.status !== 'SUCCESS') {
      deps.log.warn('ESC-initiated workflow failed', { type: event.type, vnfInstanceId: vnf.vnfInstanceId, message: event.statusMessage });
      return;
    }
    const groups = (vnf.attributes.escGroups ?? {}) as GroupIndex;
    const changes = report
      .changes(event)
      .filter((c) => c.vm?.vmid)
      .map((c) => ({ changeType: c.changeType, vms: [toVmView(c.vm!, event.vmGroup ?? '')] }));
    const { vimIdString } = vnf.attributes;
    const vimId = typeof vimIdString === 'string' ? vimIdString : '';
    const affected = buildAffectedArrays(changes, { vnfInstanceId: vnf.vnfInstanceId, vimId, tenant: event.tenant, groups });
    const jobId = deps.newId();
    await deps.outbox.enqueue({
      vnfmId: vnf.vnfmId,
      vnfInstanceId: vnf.vnfInstanceId,
      jobId,
      status: 'RESULT',
      operation: report.operation,
      body: { status: 'RESULT', operation: report.operation, jobId, ...affected },
    });
    deps.log.info('ESC-initiated change reported to NSLCM', { type: event.type, vnfInstanceId: vnf.vnfInstanceId });
  };
}

function toVmView(ref: EventVmRef, vmGroup: string): VmView {
  return { vmId: ref.vmid ?? '', name: ref.vmname ?? ref.vmid ?? '', vmGroup, interfaces: ref.interfaces };
}
