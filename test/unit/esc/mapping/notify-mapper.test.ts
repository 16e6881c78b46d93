import {
  buildAffected, buildDeployment, diffVms, parseDeploymentOpdata, vnfInfoFrom, type BuildAffectedInput, type VnfcChange,
} from '../../../../src/esc/mapping';
import { buildCatalogSampleInput } from './builders';
import { expectGolden, readGuideXml } from './golden';

const opdata = parseDeploymentOpdata(readGuideXml('opdata-deploy-service.xml'), 'vnf-tenant', 'csr-dep')!;
const vm = opdata.vmGroups[0]!.vms[0]!;

function buildAffectedInput(overrides: Partial<BuildAffectedInput> = {}): BuildAffectedInput {
  const plan = buildDeployment(buildCatalogSampleInput());
  // The guide VM has two NICs; the plan knows nicid 0 (SRIOV_Port on the external link), not nicid 1.
  return {
    vnfInstanceId: 'vnf-1',
    vimId: 'CloudOwner_RegionOne',
    tenant: 'vnf-tenant',
    changes: [{ vm, vduId: 'vdu_vNat', changeType: 'ADDED' }],
    vmGroups: plan.vmGroups,
    ...overrides,
  };
}

describe('buildAffected', () => {
  it('when a VM was added at instantiation, then the Notify arrays match the golden JSON', () => {
    const affected = buildAffected(buildAffectedInput({
      vlChanges: [{ vldId: 'internal_vl', changeType: 'ADDED', resourceId: 'net-int', resourceName: 'fw-lb-internal' }],
    }));
    expectGolden('notify-instantiate.json', `${JSON.stringify(affected, null, 2)}\n`);
  });

  it('when every field is checked, then each array item has exactly the contract fields', () => {
    const a = buildAffected(buildAffectedInput({ vlChanges: [{ vldId: 'vl', changeType: 'ADDED', resourceId: 'n' }] }));
    expect(Object.keys(a).sort()).toEqual(['affectedCp', 'affectedVirtualStorage', 'affectedVl', 'affectedVnfc']);
    expect(Object.keys(a.affectedVnfc[0]!).sort()).toEqual(['changeType', 'vduId', 'vimId', 'vmId', 'vmName', 'vnfcInstanceId']);
    expect(Object.keys(a.affectedVl[0]!).sort()).toEqual(['changeType', 'networkResource', 'vlInstanceId', 'vldId']);
    expect(Object.keys(a.affectedVl[0]!.networkResource).sort()).toEqual(['resourceId', 'resourceName', 'resourceType']);
    expect(Object.keys(a.affectedCp[0]!).sort()).toEqual(['changeType', 'cpInstanceId', 'cpdId', 'ownerId', 'ownerType', 'portResource', 'virtualLinkInstanceId']);
    expect(Object.keys(a.affectedCp[0]!.portResource).sort()).toEqual(['instId', 'ipAddress', 'macAddress', 'resourceId', 'resourceName', 'tenant', 'vimId']);
    expect(a.affectedVirtualStorage).toEqual([]);
  });

  it('when the lowercase dialect is asked for, then changeType is lowercase everywhere', () => {
    const a = buildAffected(buildAffectedInput({ dialect: 'lowercase', vlChanges: [{ vldId: 'vl', changeType: 'REMOVED', resourceId: 'n' }] }));
    expect([a.affectedVnfc[0]!.changeType, a.affectedCp[0]!.changeType, a.affectedVl[0]!.changeType]).toEqual(['added', 'added', 'removed']);
  });

  it('when a scale-in removed a VM found by an opdata diff, then it is REMOVED with its ports', () => {
    const removed = diffVms(opdata, { ...opdata, vmGroups: [{ name: 'csr-vm', vms: [] }] }).removed;
    const changes: VnfcChange[] = removed.map((v) => ({ vm: v, vduId: 'vdu_vNat', changeType: 'REMOVED' }));
    const a = buildAffected(buildAffectedInput({ changes }));
    expect(a.affectedVnfc).toEqual([{
      vnfcInstanceId: vm.name, vduId: 'vdu_vNat', changeType: 'REMOVED', vimId: 'CloudOwner_RegionOne', vmId: vm.vmId, vmName: vm.name,
    }]);
    expect(a.affectedCp.map((c) => [c.changeType, c.cpInstanceId])).toEqual([
      ['REMOVED', '66ba846f-c02a-4c2b-964b-4572d938b5e4'],
      ['REMOVED', 'f6a1d46d-d5ad-4b7e-a48a-3d539a920994'],
    ]);
  });
});

describe('vnfInfoFrom', () => {
  it('when ESC reports the service active, then vnfStatus is ACTIVE', () => {
    expect(vnfInfoFrom({ vnfInstanceId: 'vnf-1', vnfdId: 'd-1', vnfInstanceName: undefined }, opdata)).toEqual({ vnfInstanceId: 'vnf-1', vnfdId: 'd-1', vnfStatus: 'ACTIVE' });
  });

  it.each([
    ['another state', { ...opdata, serviceState: 'SERVICE_STOPPED_STATE' }],
    ['no deployment', undefined],
  ])('when ESC reports %s, then vnfStatus is INACTIVE', (_w, op) => {
    expect(vnfInfoFrom({ vnfInstanceId: 'vnf-1' }, op).vnfStatus).toBe('INACTIVE');
  });
});
