import { countByGroup, diffVmViews, readDeploymentView, type DeploymentView } from '../../../src/esc/deployment-view';
import { childOf } from '../../../src/xml';
import { readGuideXml } from './mapping/golden';

const dataOf = (file: string) => childOf(readGuideXml(file), 'data')!;
const deployOpdata = (): DeploymentView => readDeploymentView(dataOf('opdata-deploy-service.xml'), 'vnf-tenant', 'csr-dep')!;
const updateOpdata = (): DeploymentView => readDeploymentView(dataOf('opdata-update-service.xml'), 'adouha_new', 'adouha_dep')!;

describe('readDeploymentView', () => {
  it('when given the guide deploy-service reply, then reads state, group, VM, its state and NICs', () => {
    expect(deployOpdata()).toEqual({
      tenant: 'vnf-tenant',
      name: 'csr-dep',
      state: 'SERVICE_ACTIVE_STATE',
      vms: [
        {
          vmId: '0bee67cc-f415-4f6a-95fe-e00e5d8d7c57',
          name: 'csr-reg__12605__vnf-tenant__vnf-tenantcsr-depcsr-reg1.2__0__csr-vm__0',
          vmGroup: 'csr-vm',
          state: 'VM_ALIVE_STATE',
          interfaces: [
            {
              nicid: '0',
              portId: '66ba846f-c02a-4c2b-964b-4572d938b5e4',
              network: '7af5c7df-6246-4d53-91bd-aa12a1607656',
              subnet: '7cb6815e-3023-4420-87d8-2b10efcbe14e',
              ipAddress: '192.168.0.58',
              macAddress: 'fa:16:3e:c0:fd:49',
            },
            {
              nicid: '1',
              portId: 'f6a1d46d-d5ad-4b7e-a48a-3d539a920994',
              network: 'a39af676-5004-4f2d-8b7b-d4c804645dc3',
              subnet: 'de4625ad-5465-4812-ab9c-de4a0ed21063',
              ipAddress: '10.91.90.2',
              macAddress: 'fa:16:3e:64:8c:a6',
            },
          ],
        },
      ],
    });
  });

  it('when given the guide update-service reply, then VMs are counted per group (an empty group has none)', () => {
    expect(countByGroup(updateOpdata().vms)).toEqual({ ADOUHA_CSR: 1, ADOUHA_WSA: 1 });
  });

  it.each([
    ['another tenant', 'admin', 'adouha_dep'],
    ['another deployment', 'adouha_new', 'other'],
  ])('when asking for %s, then returns undefined', (_w, tenant, dep) => {
    expect(readDeploymentView(dataOf('opdata-update-service.xml'), tenant, dep)).toBeUndefined();
  });
});

describe('diffVmViews', () => {
  it('when VMs appear and go between snapshots, then reports exactly those as added and removed', () => {
    const before = updateOpdata().vms;
    const after = [
      { vmId: 'new-1', name: 'asa-0', vmGroup: 'ADOUHA_ASA', interfaces: [] },
      before.find((v) => v.vmGroup === 'ADOUHA_CSR')!,
    ];
    const diff = diffVmViews(before, after);
    expect(diff.added.map((v) => v.vmId)).toEqual(['new-1']);
    expect(diff.removed.map((v) => v.vmId)).toEqual(['9925dbc0-5888-4a48-add0-b1baeb0a5d6c']);
  });

  it('when there was no deployment before, then every VM is added', () => {
    expect(diffVmViews([], deployOpdata().vms).added).toHaveLength(1);
  });
});
