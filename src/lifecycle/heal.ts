import type { VmView } from '../esc/deployment-view';
import { EscRequestError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { deadlineFor } from '../esc/esc-runtime-settings';
import { readDeployment, VM_ALIVE_STATE } from '../esc/esc-steps';
import { buildVmAction } from '../esc/mapping/edit-builders';
import { parseVimRef } from '../nslcm/vim-ref';
import { VNFC_INVENTORY_ATTRIBUTE, vnfcInventoryOf } from '../vnfs/vnfc-inventory';
import { buildAffectedArrays, type GroupIndex } from './affected-builder';
import { OperationRun, type StoryDeps } from './operation-run';
import { findHealVm } from './heal-target';
import { vnfcEntriesFor } from './vnfc-inventory-diff';
import type { HealVnfRequest } from './requests';
import type { OperationContext } from './southbound';

type Run = OperationRun<HealVnfRequest, EscEventView>;

/**
 * Heal by vmReset (VNFM Driver API §3.6 "Heal VNF"; ESC guide "Reboot VM"): find the VM by id or name in opdata,
 * grant, vmAction REBOOT, wait for VM_REBOOTED then VM_ALIVE of that VM, Notify it MODIFIED, clear its VNFC's error mark.
 */
export async function healVnf(ctx: OperationContext<HealVnfRequest>, deps: StoryDeps<EscEventView>): Promise<void> {
  const run: Run = new OperationRun(ctx, deps, 'heal');
  const { escTenant: tenant, escDeployment: depname } = run.vnf;
  if (!tenant || !depname) throw new EscRequestError('the VNF has no ESC deployment to heal', run.errorContext('read VNF'));
  if (ctx.request.action !== 'vmReset')
    throw new EscRequestError(`heal action ${ctx.request.action} is not supported (only vmReset)`, run.errorContext('read request'));
  await run.startDeadline(deadlineFor('heal', deps.settings));
  const channel = await run.channel();
  if (!run.has('vm')) await run.mark({ vm: await findVm(run, channel, tenant, depname) });
  const vm = run.state.vm as VmView;
  const grant = await run.grantOnce({ operation: 'Heal', vim: parseVimRef(run.vnf.vimId ?? run.vnf.attributes.vimIdString) });
  await run.notify('START', 'Heal');
  await ctx.job.progress(20, `rebooting VM ${vm.name}`);

  let rebooted = false;
  await run.sendAndWait(channel, {
    step: 'reboot',
    tenant,
    depname,
    // force: with min_active = max_active a reboot takes the group below min_active, which ESC refuses unless forced (guide "Reboot VM").
    config: () => buildVmAction('REBOOT', vm.name, true),
    classify: (e) => {
      if (e.vmSource?.vmid !== vm.vmId && e.vmSource?.vmname !== vm.name) return undefined;
      if (e.status === 'FAILURE' && (e.type === 'VM_REBOOTED' || e.type === 'VM_ALIVE'))
        return { kind: 'failed', eventType: e.type, message: e.statusMessage };
      if (e.type === 'VM_REBOOTED') {
        rebooted = true;
        return { kind: 'progress', description: `VM ${vm.name} rebooted` };
      }
      return e.type === 'VM_ALIVE' && rebooted ? { kind: 'done' } : undefined;
    },
    onProgress: (d) => void ctx.job.progress(60, d),
    waitingFor: () => `${rebooted ? 'VM_ALIVE' : 'VM_REBOOTED'} of VM ${vm.name}`,
    // Only trusted after a reconnect or restart: right after the request the VM may not have left ALIVE yet.
    reconcile: async () => {
      const dep = await readDeployment(channel, tenant, depname);
      if (!dep) return { kind: 'gone' };
      return dep.vms.find((v) => v.vmId === vm.vmId)?.state === VM_ALIVE_STATE ? { kind: 'done' } : undefined;
    },
  });
  const after = (await readDeployment(channel, tenant, depname))?.vms.find((v) => v.vmId === vm.vmId) ?? vm;
  const groups = (run.vnf.attributes.escGroups ?? {}) as GroupIndex;
  await run.notify(
    'RESULT',
    'Heal',
    buildAffectedArrays([{ changeType: 'MODIFIED', vms: [after] }], {
      vnfInstanceId: ctx.vnf.vnfInstanceId,
      vimId: grant.vimId,
      tenant,
      groups,
    }),
  );
  // The VM answers again: its VNFC, rebuilt from opdata as every inventory change is, loses the error mark a
  // VM_ALIVE FAILURE or a failed recovery had put on it.
  const vnfcs = vnfcInventoryOf(run.vnf);
  if (vnfcs?.some((e) => e.vmId === vm.vmId && e.error !== undefined)) {
    const [healed] = vnfcEntriesFor([after], groups, vnfcs);
    await run.updateVnf({ attributes: { [VNFC_INVENTORY_ATTRIBUTE]: vnfcs.map((e) => (e.vmId === vm.vmId ? healed : e)) } });
  }
  await ctx.job.progress(95, `VM ${vm.name} alive again`);
}

async function findVm(run: Run, channel: Awaited<ReturnType<Run['channel']>>, tenant: string, depname: string): Promise<VmView> {
  const { vmid, vmname, vduid } = run.ctx.request.affectedvm ?? {};
  const dep = await readDeployment(channel, tenant, depname);
  const vm = findHealVm(dep?.vms ?? [], (run.vnf.attributes.escGroups ?? {}) as GroupIndex, run.ctx.request.affectedvm ?? {});
  if (!vm) {
    const named = vmid ?? vmname ?? (vduid ? `of VDU ${vduid}` : '(none named)');
    throw new EscRequestError(`VM ${named} is not a single VM of deployment ${depname}`, run.errorContext('find VM'));
  }
  return vm;
}
