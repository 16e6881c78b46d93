import { childOf } from '../../../src/xml';
import { buildAffectedArrays, groupIndexFor, internalVlInstanceId, type AffectedScope } from '../../../src/lifecycle/affected-builder';
import { readDeploymentView, type VmView } from '../../../src/esc/deployment-view';
import { buildDeployment } from '../../../src/esc/mapping/deployment-mapper';
import { buildCatalogSampleInput } from '../esc/mapping/builders';
import { expectGolden, readGuideXml } from '../esc/mapping/golden';

const plan = buildDeployment(buildCatalogSampleInput());
// The guide's opdata is of a deployment of its own; its VM is taken as one of the plan's vm_group.
const opdataVm = readDeploymentView(childOf(readGuideXml('opdata-deploy-service.xml'), 'data')!, 'vnf-tenant', 'csr-dep')!.vms[0];
const vm: VmView = { ...opdataVm, vmGroup: plan.vmGroups[0].name };

function buildScope(overrides: Partial<AffectedScope> = {}): AffectedScope {
  return {
    vnfInstanceId: 'vnf-1',
    vimId: 'CloudOwner_RegionOne',
    tenant: 'vnf-tenant',
    groups: groupIndexFor(plan.vmGroups),
    ...overrides,
  };
}

describe('buildAffectedArrays', () => {
  it('when a VM was added at instantiation, then the Notify arrays match the golden JSON', () => {
    const affected = buildAffectedArrays([{ changeType: 'ADDED', vms: [vm] }], buildScope());
    expectGolden('notify-instantiate.json', `${JSON.stringify(affected, null, 2)}\n`);
  });

  it('when every field is checked, then each array item has exactly the contract fields', () => {
    const a = buildAffectedArrays([{ changeType: 'ADDED', vms: [vm] }], buildScope());
    expect(Object.keys(a).sort()).toEqual(['affectedCp', 'affectedVirtualStorage', 'affectedVl', 'affectedVnfc']);
    expect(Object.keys(a.affectedVnfc[0]).sort()).toEqual(['changeType', 'vduId', 'vimId', 'vmId', 'vmName', 'vnfcInstanceId']);
    expect(Object.keys(a.affectedCp[0]).sort()).toEqual([
      'changeType',
      'cpInstanceId',
      'cpdId',
      'ownerId',
      'ownerType',
      'portResource',
      'virtualLinkInstanceId',
    ]);
    expect(Object.keys(a.affectedCp[0].portResource!).sort()).toEqual([
      'instId',
      'ipAddress',
      'macAddress',
      'resourceId',
      'resourceName',
      'tenant',
      'vimId',
    ]);
    expect(a.affectedCp[0].ownerType).toBe('0');
    expect(a.affectedVirtualStorage).toEqual([]);
  });

  it('when a VM joins an extVirtualLink of the NS, then its CP names that VL and no affectedVl is reported for it', () => {
    const a = buildAffectedArrays([{ changeType: 'REMOVED', vms: [vm] }], buildScope());
    expect(a.affectedCp[0].virtualLinkInstanceId).toBe('ns-vl-1');
    expect(a.affectedVl).toEqual([]);
  });

  it('when a scale-in removed a VM, then it is REMOVED with its ports', () => {
    const a = buildAffectedArrays([{ changeType: 'REMOVED', vms: [vm] }], buildScope());
    expect(a.affectedVnfc).toEqual([
      {
        vnfcInstanceId: vm.vmId,
        vduId: 'vdu_vNat',
        changeType: 'REMOVED',
        vimId: 'CloudOwner_RegionOne',
        vmId: vm.vmId,
        vmName: vm.name,
      },
    ]);
    expect(a.affectedCp.map((c) => [c.changeType, c.cpInstanceId])).toEqual([
      ['REMOVED', '66ba846f-c02a-4c2b-964b-4572d938b5e4'],
      ['REMOVED', 'f6a1d46d-d5ad-4b7e-a48a-3d539a920994'],
    ]);
  });

  it('when a VM belongs to a group the VNF record does not know, then its vm_group and NIC numbers stand in', () => {
    const a = buildAffectedArrays([{ changeType: 'MODIFIED', vms: [{ ...vm, vmGroup: 'other' }] }], buildScope());
    expect(a.affectedVnfc[0].vduId).toBe('other');
    expect(a.affectedCp.map((c) => c.cpdId)).toEqual(['nic0', 'nic1']);
  });

  describe('ownership of VLs', () => {
    // nic 0 joins the NS's extVirtualLink, nic 1 an internal VL of the VNFD.
    const groups = {
      [vm.vmGroup]: {
        vduId: 'vdu_vNat',
        nics: {
          0: { cpdId: 'ext_cp', vlInstanceId: 'ns-vl-1', virtualLinkId: 'sriov_link' },
          1: { cpdId: 'int_cp', virtualLinkId: 'data_vl' },
        },
      },
    };
    const ownedVls = { data_vl: { resourceId: 'net-uuid-1', resourceName: 'dep-data_vl' } };

    it('when the VNF created no VL, then affectedVl stays empty even at instantiation and an internal CP names no VL', () => {
      const a = buildAffectedArrays([{ changeType: 'ADDED', vms: [vm] }], buildScope({ groups }), 'ADDED');
      expect(a.affectedVl).toEqual([]);
      expect(a.affectedCp.map((c) => [c.cpdId, c.virtualLinkInstanceId])).toEqual([
        ['ext_cp', 'ns-vl-1'],
        ['int_cp', ''],
      ]);
    });

    it('when the VNF created a VL, then it is reported with an id unique to the VNF instance and its internal CP names that id', () => {
      const a = buildAffectedArrays([{ changeType: 'ADDED', vms: [vm] }], buildScope({ groups, ownedVls }), 'ADDED');
      expect(a.affectedVl).toEqual([
        {
          vlInstanceId: 'vnf-1.data_vl',
          vldId: 'data_vl',
          changeType: 'ADDED',
          networkResource: { resourceType: 'network', resourceId: 'net-uuid-1', resourceName: 'dep-data_vl' },
        },
      ]);
      expect(a.affectedCp.map((c) => c.virtualLinkInstanceId)).toEqual(['ns-vl-1', 'vnf-1.data_vl']);
      const other = buildAffectedArrays(
        [{ changeType: 'ADDED', vms: [vm] }],
        buildScope({ groups, ownedVls, vnfInstanceId: 'vnf-2' }),
        'ADDED',
      );
      expect(other.affectedVl[0].vlInstanceId).toBe(internalVlInstanceId('vnf-2', 'data_vl'));
      expect(other.affectedVl[0].vlInstanceId).not.toBe(a.affectedVl[0].vlInstanceId);
    });

    it('when VMs change without the VLs changing (scale, recovery), then no VL is reported', () => {
      const a = buildAffectedArrays([{ changeType: 'REMOVED', vms: [vm] }], buildScope({ groups, ownedVls }));
      expect(a.affectedVl).toEqual([]);
      expect(a.affectedCp[1].virtualLinkInstanceId).toBe('vnf-1.data_vl');
    });

    it('when every affectedCp is checked, then its VL is an extVirtualLink of the NS or an affectedVl of the same VNF', () => {
      const a = buildAffectedArrays([{ changeType: 'ADDED', vms: [vm] }], buildScope({ groups, ownedVls }), 'ADDED');
      const known = new Set(['ns-vl-1', ...a.affectedVl.map((l) => l.vlInstanceId)]);
      expect(a.affectedCp.every((c) => known.has(c.virtualLinkInstanceId ?? ''))).toBe(true);
      expect(a.affectedVl.map((l) => l.vlInstanceId)).not.toContain('ns-vl-1');
    });
  });
});
