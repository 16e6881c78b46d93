import type { VmView } from '../../../src/esc/deployment-view';
import { findHealVm, vduHealProblem } from '../../../src/lifecycle/heal-target';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';

const groups = { g_fw: { vduId: 'vdu_fw' }, g_lb: { vduId: 'vdu_lb' } };
const vnf = {
  attributes: { escGroups: groups, escBounds: { g_fw: { min: 1, current: 2 }, g_lb: { min: 1, current: 1 } } },
} as unknown as VnfRecord;
const vm = (vmId: string, vmGroup: string): VmView => ({ vmId, name: `n-${vmId}`, vmGroup }) as VmView;
const vms = [vm('a', 'g_fw'), vm('b', 'g_fw'), vm('c', 'g_lb')];

describe('heal by vduid', () => {
  it('when the VDU has one VM, then the request is fine and that VM is found', () => {
    expect(vduHealProblem(vnf, { action: 'vmReset', affectedvm: { vduid: 'vdu_lb' } })).toBeUndefined();
    expect(findHealVm(vms, groups as never, { vduid: 'vdu_lb' })?.vmId).toBe('c');
  });

  it('when the VDU has several VMs or none, then the problem is named and no VM is picked', () => {
    expect(vduHealProblem(vnf, { action: 'vmReset', affectedvm: { vduid: 'vdu_fw' } })).toMatch(/vdu_fw has 2 VMs/);
    expect(vduHealProblem(vnf, { action: 'vmReset', affectedvm: { vduid: 'vdu_x' } })).toMatch(/vdu_x is not part of this VNF/);
    expect(findHealVm(vms, groups as never, { vduid: 'vdu_fw' })).toBeUndefined();
  });

  it('when the VM is named by vmid or vmname, then vduid does not matter', () => {
    expect(vduHealProblem(vnf, { action: 'vmReset', affectedvm: { vmid: 'a', vduid: 'vdu_fw' } })).toBeUndefined();
    expect(findHealVm(vms, groups as never, { vmname: 'n-b', vduid: 'vdu_fw' })?.vmId).toBe('b');
  });
});
