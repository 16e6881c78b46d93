import { diffVms, findVm, parseDeploymentOpdata, vmCounts, type DeploymentOpdata } from '../../../../src/esc/mapping';
import { readGuideXml } from './golden';

const deployOpdata = (): DeploymentOpdata => parseDeploymentOpdata(readGuideXml('opdata-deploy-service.xml'), 'vnf-tenant', 'csr-dep')!;
const updateOpdata = (): DeploymentOpdata => parseDeploymentOpdata(readGuideXml('opdata-update-service.xml'), 'adouha_new', 'adouha_dep')!;

describe('parseDeploymentOpdata', () => {
  it('when given the guide deploy-service reply, then reads state, group, VM, its state and NICs', () => {
    expect(deployOpdata()).toEqual({
      tenant: 'vnf-tenant',
      deploymentName: 'csr-dep',
      deploymentId: 'vnf-tenantcsr-depcsr-reg1.2',
      serviceState: 'SERVICE_ACTIVE_STATE',
      vmGroups: [{
        name: 'csr-vm',
        vms: [{
          vmId: '0bee67cc-f415-4f6a-95fe-e00e5d8d7c57',
          name: 'csr-reg__12605__vnf-tenant__vnf-tenantcsr-depcsr-reg1.2__0__csr-vm__0',
          vmGroup: 'csr-vm',
          hostId: '109ec6a9b7c4613e5b73942e8cc998ebd9434a17c552e5e01847e402',
          hostname: 'compute-host-1',
          state: 'VM_ALIVE_STATE',
          interfaces: [
            { nicid: 0, portId: '66ba846f-c02a-4c2b-964b-4572d938b5e4', network: '7af5c7df-6246-4d53-91bd-aa12a1607656', subnet: '7cb6815e-3023-4420-87d8-2b10efcbe14e', ipAddress: '192.168.0.58', macAddress: 'fa:16:3e:c0:fd:49' },
            { nicid: 1, portId: 'f6a1d46d-d5ad-4b7e-a48a-3d539a920994', network: 'a39af676-5004-4f2d-8b7b-d4c804645dc3', subnet: 'de4625ad-5465-4812-ab9c-de4a0ed21063', ipAddress: '10.91.90.2', macAddress: 'fa:16:3e:64:8c:a6' },
          ],
        }],
      }],
    });
  });

  it('when given the guide update-service reply, then empty groups are kept and counted as zero', () => {
    expect(vmCounts(updateOpdata())).toEqual({ ADOUHA_ASA: 0, ADOUHA_CSR: 1, ADOUHA_WSA: 1 });
  });

  it.each([
    ['another tenant', 'admin', 'adouha_dep'],
    ['another deployment', 'adouha_new', 'other'],
  ])('when asking for %s, then returns undefined', (_w, tenant, dep) => {
    expect(parseDeploymentOpdata(readGuideXml('opdata-update-service.xml'), tenant, dep)).toBeUndefined();
  });
});

describe('diffVms', () => {
  it('when VMs appear and go between snapshots, then reports exactly those as added and removed', () => {
    const before = updateOpdata();
    const after: DeploymentOpdata = {
      ...before,
      vmGroups: [
        { name: 'ADOUHA_ASA', vms: [{ vmId: 'new-1', name: 'asa-0', vmGroup: 'ADOUHA_ASA', interfaces: [] }] },
        before.vmGroups[1]!,
      ],
    };
    const diff = diffVms(before, after);
    expect(diff.added.map((v) => v.vmId)).toEqual(['new-1']);
    expect(diff.removed.map((v) => v.vmId)).toEqual(['9925dbc0-5888-4a48-add0-b1baeb0a5d6c']);
    expect(diff.kept.map((v) => v.vmId)).toEqual(['6d828cac-4ae2-4155-bbb3-aa8c1ec9d8ba']);
  });

  it('when there was no deployment before, then every VM is added', () => {
    expect(diffVms(undefined, deployOpdata()).added).toHaveLength(1);
  });
});

describe('findVm', () => {
  it('when given a vmid, then finds by vm_id; when only a name, then by name', () => {
    const op = updateOpdata();
    expect(findVm(op, { vmid: '9925dbc0-5888-4a48-add0-b1baeb0a5d6c' })?.vmGroup).toBe('ADOUHA_WSA');
    expect(findVm(op, { vmid: 'unknown', vmname: ' adouha_reg__79421__adouha_new__adouha_newadouha_depadouha_reg1.2__0__ADOUHA_CSR__0 ' })?.vmGroup).toBe('ADOUHA_CSR');
    expect(findVm(op, { vmid: 'unknown' })).toBeUndefined();
    expect(findVm(undefined, { vmname: 'x' })).toBeUndefined();
  });
});
