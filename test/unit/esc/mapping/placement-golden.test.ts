import { join } from 'node:path';
import { buildDeployment } from '../../../../src/esc/mapping/deployment-mapper';
import { buildFlavorConfig } from '../../../../src/esc/mapping/edit-builders';
import { buildLocatorXml, vimConnectorFor } from '../../../../src/esc/mapping/placement';
import { buildVimConnectorConfig, buildVimUserConfig } from '../../../../src/esc/mapping/vim-connector-builders';
import { parseVnfdModel } from '../../../../src/esc/mapping/vnfd-parser';
import { writeXml, type XmlNode } from '../../../../src/xml';
import { yanglintAvailable, yanglintProblem } from '../../../support/yanglint';
import { expectGolden, FIXTURES, prettyXml, readFixture } from './golden';

const MODULE = join(__dirname, '../../../../src/simulator/yang/esc-sim.yang');

/** The vm_groups of a deployment plan reduced to name and locator, in their tenant/deployment path. */
function locatorsOnly(config: XmlNode): XmlNode {
  const keep = (n: XmlNode): XmlNode => {
    if (n.name === 'vm_group')
      return {
        ...n,
        children: (n.children ?? []).filter((c) => typeof c === 'object' && c !== null && ['name', 'locator'].includes(c.name)),
      };
    return { ...n, children: (n.children ?? []).map((c) => (typeof c === 'object' && c !== null ? keep(c) : c)) };
  };
  return keep(config);
}

/** Golden files of the placement edit-configs, each named after the guide lines it follows. */
const GOLDEN = {
  connector: 'vim-connector-create.guide-552-600.xml',
  user: 'vim-user-create.guide-800-838.xml',
  locator: 'vm-group-locator.guide-2871-2902.xml',
  flavor: 'flavor-create.guide-1729-1750.xml',
};

describe('placement edit-configs', () => {
  it('when a VIM connector is created, then it has the guide properties (Create Vim Connector, ~lines 552-600)', () => {
    expectGolden(
      GOLDEN.connector,
      prettyXml(
        buildVimConnectorConfig({ id: 'openstack-vim', authUrl: 'http://10.0.0.5:5000/v3', project: 'vimProject', domain: 'default' }),
      ),
      '"Create Vim Connector" example, lines 552-600',
    );
  });

  it('when its VIM user is created, then it goes alone with its credentials (Create Vim User, ~lines 800-838)', () => {
    expectGolden(
      GOLDEN.user,
      prettyXml(buildVimUserConfig({ connectorId: 'openstack-vim', userName: 'vimUserName', password: 'userPassword', domain: 'default' })),
      '"Create Vim User" example, lines 800-838',
    );
  });

  it('when a deployment is placed, then every vm_group carries the locator right after its name (Deploy Multi-vim Service, ~lines 2871-2902)', () => {
    const vnfd = parseVnfdModel(readFixture('vnfd-two-vdus.json'));
    const plan = buildDeployment({
      tenant: 'esc-tenant',
      deploymentName: 'dep-1',
      vnfd,
      extVirtualLinks: [],
      inputs: { 'fw_mgmt.network': 'net-A', 'lb_mgmt.network': 'net-A', 'internal_vl.network': 'net-B' },
      placement: { vimId: 'openstack-vim', vimProject: 'vim-project-A' },
    });
    expectGolden(GOLDEN.locator, prettyXml(locatorsOnly(plan.config())), '"Deploy Multi-vim Service" example, lines 2871-2902');
    for (const group of plan.vmGroups) expect(group.locator).toEqual({ vimId: 'openstack-vim', vimProject: 'vim-project-A' });
    const xmlText = writeXml(plan.config());
    expect(xmlText.split('<locator>').length - 1).toBe(plan.vmGroups.length);
    expect(xmlText).toMatch(
      /<vm_group><name>[^<]+<\/name><locator><vim_id>openstack-vim<\/vim_id><vim_project>vim-project-A<\/vim_project><\/locator><image>/,
    );
    expect(writeXml(buildLocatorXml({ vimId: 'a&b', vimProject: '<p>' }))).toBe(
      '<locator><vim_id>a&amp;b</vim_id><vim_project>&lt;p&gt;</vim_project></locator>',
    );
  });

  it('when ESC_VIM_CONNECTORS maps a VIM, then its connector is used; otherwise the ONAP VIM id is the connector id', () => {
    expect(vimConnectorFor('CloudOwner_RegionTwo', { CloudOwner_RegionTwo: 'site-b' })).toBe('site-b');
    expect(vimConnectorFor('CloudOwner_RegionOne', { CloudOwner_RegionTwo: 'site-b' })).toBe('CloudOwner_RegionOne');
    expect(vimConnectorFor('toString', {})).toBe('toString');
  });

  it('when the golden edit-configs are checked by yanglint against the simulator YANG subset, then all validate', () => {
    if (!yanglintAvailable()) return;
    expect(writeXml(buildFlavorConfig({ name: 'f', vcpus: 1, memoryMb: 1, rootDiskMb: 0 }))).toContain('<flavors><flavor>');
    const problems = Object.values(GOLDEN).map((name) => yanglintProblem('edit', [MODULE], join(FIXTURES, 'golden', name), name));
    expect(problems.filter((p) => p !== '')).toEqual([]);
  });
});
