import {
  buildFlavorConfig,
  buildScaleConfig,
  buildServiceAction,
  buildUndeployConfig,
  buildVmAction,
  opdataFilter,
} from '../../../../src/esc/mapping/edit-builders';
import { parseXml, writeXml } from '../../../../src/xml';
import { expectGolden, prettyXml } from './golden';

describe('edit builders', () => {
  it('when undeploying, then the deployment carries nc:operation="delete" with its own namespace declaration', () => {
    const node = buildUndeployConfig('vnf-tenant', 'csr-dep');
    expectGolden('undeploy.xml', prettyXml(node), '"Un-deploy Service" example, lines 2449-2475');
    const dep = parseXml(writeXml(node)).children[0].children[0].children[1].children[0];
    expect(dep.name).toBe('deployment');
    expect(dep.attrs).toEqual([{ name: 'operation', ns: 'urn:ietf:params:xml:ns:netconf:base:1.0', value: 'delete' }]);
  });

  it('when scaling, then only names and scaling of the named vm_groups are sent', () => {
    expectGolden(
      'scale.xml',
      prettyXml(
        buildScaleConfig('vnf-tenant', 'csr-dep', [
          { vmGroup: 'csr-vm', minActive: 3, maxActive: 3 },
          { vmGroup: 'wsa-vm', minActive: 1, maxActive: 2 },
        ]),
      ),
      '"Update Service" example, lines 2551-2720 (each changed vm_group\'s key and scaling, merged)',
    );
  });

  it.each([
    ['STOP', 'service-stop.xml', '"Stop Service" example, lines 3328-3344'],
    ['START', 'service-start.xml', '"Start Service" example, lines 3421-3437'],
  ] as const)('when building serviceAction %s, then it is the guide example', (action, file, guide) => {
    expectGolden(file, prettyXml(buildServiceAction(action, 'sampleTenant', 'sampleDep')), guide);
  });

  it("when building the heal reboot, then it is the guide's vmAction with force true", () => {
    expectGolden('vm-reboot-forced.xml', prettyXml(buildVmAction('REBOOT', 'sampleVmName', true)), '"Reboot VM" example, lines 4212-4229');
    expect(writeXml(buildVmAction('REBOOT', 'vm', false))).toContain('<force>false</force>');
  });

  it('when creating a flavor, then it is one flavor with the guide fields (guide Create Flavor, ~lines 1729-1750)', () => {
    expectGolden(
      'flavor-create.guide-1729-1750.xml',
      prettyXml(buildFlavorConfig({ name: 'onap-2vcpu-4096mb-20gb', vcpus: 2, memoryMb: 4096, rootDiskMb: 20480 })),
      '"Create Flavor" example, lines 1729-1750',
    );
  });

  it("when asking for opdata, then the subtree filter selects the deployment the guide's query selects", () => {
    expectGolden(
      'get-deployment-opdata-filter.xml',
      prettyXml(opdataFilter('vnf-tenant', 'csr-dep')),
      '"Deploy Service" example, lines 2360-2364: its opdata query as a subtree filter (allowed at line 427)',
    );
  });
});
