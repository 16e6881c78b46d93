import {
  buildFlavorConfig,
  buildRecoveryVmAction,
  buildScaleConfig,
  buildServiceAction,
  buildUndeployConfig,
  buildVmAction,
  opdataFilter,
  xpathLiteral,
} from '../../../../src/esc/mapping/edit-builders';
import { parseXml, writeXml } from '../../../../src/xml';
import { expectGolden, prettyXml } from './golden';

describe('edit builders', () => {
  it('when undeploying, then the deployment carries nc:operation="delete" with its own namespace declaration', () => {
    const node = buildUndeployConfig('vnf-tenant', 'csr-dep');
    expectGolden('undeploy.xml', prettyXml(node));
    const dep = parseXml(writeXml(node)).children[0]!.children[0]!.children[1]!.children[0]!;
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
    );
  });

  it('when building service and VM actions, then they follow the guide', () => {
    expect(writeXml(buildServiceAction('STOP', 'sampleTenant', 'sampleDep'))).toBe(
      '<serviceAction xmlns="http://www.cisco.com/esc/esc"><actionType>STOP</actionType><tenantName>sampleTenant</tenantName><depName>sampleDep</depName></serviceAction>',
    );
    expect(writeXml(buildVmAction('REBOOT', 'sampleVmName'))).toBe(
      '<vmAction xmlns="http://www.cisco.com/esc/esc"><actionType>REBOOT</actionType><vmName>sampleVmName</vmName><force>false</force></vmAction>',
    );
    expect(writeXml(buildVmAction('STOP', 'vm', true))).toContain('<force>true</force>');
    expect(writeXml(buildRecoveryVmAction('vm-1'))).toBe(
      '<recoveryVmAction xmlns="http://www.cisco.com/esc/esc"><actionType>DO</actionType><vmName>vm-1</vmName></recoveryVmAction>',
    );
  });

  it('when creating a flavor, then it is one flavor with the guide fields (guide Create Flavor, ~lines 1729-1750)', () => {
    expectGolden(
      'flavor-create.guide-1729-1750.xml',
      prettyXml(buildFlavorConfig({ name: 'onap-2vcpu-4096mb-20gb', vcpus: 2, memoryMb: 4096, rootDiskMb: 20480 })),
    );
  });

  it('when asking for opdata, then the XPath is the guide query and the subtree selects the same deployment', () => {
    const f = opdataFilter('vnf-tenant', 'csr-dep');
    expect(f.xpath).toBe("esc_datamodel/opdata/tenants/tenant[name='vnf-tenant']/deployments[deployment_name='csr-dep']");
    expect(writeXml(f.subtree)).toBe(
      '<esc_datamodel xmlns="http://www.cisco.com/esc/esc"><opdata><tenants><tenant><name>vnf-tenant</name><deployments><deployment_name>csr-dep</deployment_name></deployments></tenant></tenants></opdata></esc_datamodel>',
    );
  });

  it.each([
    ['plain', 'abc', "'abc'"],
    ['with an apostrophe', "o'neil", '"o\'neil"'],
    ['with both quotes', `a'b"c`, `concat('a', "'", 'b"c')`],
  ])('when the XPath value is %s, then it is quoted safely', (_w, value, literal) => {
    expect(xpathLiteral(value)).toBe(literal);
  });
});
