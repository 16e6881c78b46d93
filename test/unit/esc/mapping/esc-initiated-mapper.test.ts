import { escInitiatedChange, parseEscEvent, type DeploymentOpdata, type EscEvent } from '../../../../src/esc/mapping';
import { readGuideXml } from './golden';

const event = (file: string): EscEvent => parseEscEvent(readGuideXml(file))!;

function buildOpdata(vmGroup: string, vms: { vmId: string; name: string }[]): DeploymentOpdata {
  return {
    tenant: 't', deploymentName: 'd', serviceState: 'SERVICE_ACTIVE_STATE',
    vmGroups: [{ name: vmGroup, vms: vms.map((v) => ({ ...v, vmGroup, interfaces: [] })) }],
  };
}

describe('escInitiatedChange', () => {
  it('when ESC recovered a VM onto a new vm_id, then it is a Heal MODIFIED of the new VM under its old name', () => {
    const before = buildOpdata('1-GROUP', [{ vmId: '6fdfff78-895e-47db-a7e0-56bd5c4a157b', name: 'dep_1-GROUP_0_abc' }]);
    const change = escInitiatedChange(event('event-vm-recovery-complete.xml'), { vmGroups: [{ name: '1-GROUP', vduId: 'vdu_1' }], before });
    expect(change?.operation).toBe('Heal');
    expect(change?.changes).toEqual([{
      vduId: 'vdu_1',
      changeType: 'MODIFIED',
      vm: {
        vmId: 'a57645ed-add6-4452-8424-83f4fcacf2df', name: 'dep_1-GROUP_0_abc', vmGroup: '1-GROUP',
        interfaces: [expect.objectContaining({ portId: '26636048-a57e-4be0-ba38-2227f30eae14' })],
      },
    }]);
  });

  it('when ESC scaled out, then it is a Scaleout ADDED taken from opdata after the event', () => {
    const after = buildOpdata('CSR', [{ vmId: '5283bcab-c1c3-4699-9bbe-cf143b26c6aa', name: 'csr-1' }]);
    const change = escInitiatedChange(event('event-vm-scale-out-complete.xml'), { vmGroups: [{ name: 'CSR', vduId: 'vdu_csr' }], after });
    expect(change).toEqual({ operation: 'Scaleout', changes: [{ vduId: 'vdu_csr', changeType: 'ADDED', vm: after.vmGroups[0]!.vms[0] }] });
  });

  it('when ESC scaled in, then it is a Scalein REMOVED of the VM known before', () => {
    const before = buildOpdata('CSR', [{ vmId: '5283bcab-c1c3-4699-9bbe-cf143b26c6aa', name: 'csr-1' }]);
    const change = escInitiatedChange(event('event-vm-scale-in-complete.xml'), { vmGroups: [{ name: 'CSR', vduId: 'vdu_csr' }], before });
    expect(change?.operation).toBe('Scalein');
    expect(change?.changes[0]).toMatchObject({ changeType: 'REMOVED', vm: { name: 'csr-1' } });
  });

  it.each([
    ['an event of our own workflows', 'event-vm-deployed.xml', [{ name: 'csr-vm', vduId: 'v' }]],
    ['a failure', 'event-service-stopped-failure.xml', [{ name: 'CSR', vduId: 'v' }]],
    ['a VM of an unknown group', 'event-vm-scale-out-complete.xml', [{ name: 'other', vduId: 'v' }]],
  ])('when given %s, then there is nothing to notify', (_w, file, vmGroups) => {
    expect(escInitiatedChange(event(file), { vmGroups })).toBeUndefined();
  });
});
