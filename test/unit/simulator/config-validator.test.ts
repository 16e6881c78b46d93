import { minActiveOf, validateDeployment, validateTenantName } from '../../../src/simulator/config-validator';
import { parseXml } from '../../../src/xml';
import { rpcErrorOf } from './sim-test-helpers';

const PATH = "/rpc/edit-config/config/esc:esc_datamodel/esc:tenants/esc:tenant[name='t']/esc:deployments/esc:deployment[name='d']";

function deployment(groups: string, name = 'd') {
  return parseXml(`<deployment><name>${name}</name>${groups}</deployment>`);
}

describe('validateTenantName', () => {
  it('when the tenant has a name, then it is accepted', () => {
    expect(() => validateTenantName(parseXml('<tenant><name>t</name></tenant>'), '/p')).not.toThrow();
  });

  it.each([
    ['an empty name', '<tenant><name> </name></tenant>'],
    ['no name', '<tenant><deployments/></tenant>'],
  ])('when the tenant has %s, then it is the guide invalid-value rejection', (_what, xml) => {
    const err = rpcErrorOf(() => validateTenantName(parseXml(xml), '/p/esc:tenant'));
    expect([err.tag, err.message, err.details]).toEqual([
      'invalid-value',
      '"" is not a valid value.',
      { path: '/p/esc:tenant/esc:name', badElement: 'name' },
    ]);
  });
});

describe('validateDeployment', () => {
  it('when a deployment has named groups, numeric timers, scaling within bounds and distinct nicids, then it is accepted', () => {
    const dep = deployment(
      '<vm_group><name>g</name><bootup_time>600</bootup_time><recovery_wait_time>0</recovery_wait_time>' +
        '<scaling><min_active>1</min_active><max_active>3</max_active></scaling>' +
        '<interfaces><interface><nicid>0</nicid></interface><interface><nicid>1</nicid></interface></interfaces></vm_group>' +
        '<vm_group><name>h</name></vm_group>',
    );
    expect(() => validateDeployment(dep, PATH)).not.toThrow();
  });

  it('when the deployment name is empty, then it is invalid-value on its name', () => {
    const err = rpcErrorOf(() => validateDeployment(deployment('<vm_group><name>g</name></vm_group>', ''), PATH));
    expect([err.tag, err.details.path, err.details.badElement]).toEqual(['invalid-value', `${PATH}/esc:name`, 'name']);
  });

  it('when there is no vm_group, then it is missing-element naming the deployment', () => {
    const err = rpcErrorOf(() => validateDeployment(deployment(''), PATH));
    expect([err.tag, err.message, err.details]).toEqual([
      'missing-element',
      'Deployment d has no vm_group',
      { path: PATH, badElement: 'vm_group' },
    ]);
  });

  it('when a vm_group has no name, then it is invalid-value on the group name', () => {
    const err = rpcErrorOf(() => validateDeployment(deployment('<vm_group><image>i</image></vm_group>'), PATH));
    expect([err.tag, err.details.path]).toEqual(['invalid-value', `${PATH}/esc:vm_group/esc:name`]);
  });

  it.each([
    ['bootup_time', 'abc'],
    ['reboot_time', '-1'],
    ['recovery_wait_time', '1234567890'],
  ])('when %s is %p, then it is invalid-value on that leaf of the named group', (leaf, value) => {
    const err = rpcErrorOf(() => validateDeployment(deployment(`<vm_group><name>g</name><${leaf}>${value}</${leaf}></vm_group>`), PATH));
    expect([err.tag, err.message, err.details]).toEqual([
      'invalid-value',
      `"${value}" is not a valid value.`,
      { path: `${PATH}/esc:vm_group[name='g']/esc:${leaf}`, badElement: leaf },
    ]);
  });

  it('when min_active is above max_active, then it is invalid-value on min_active', () => {
    const err = rpcErrorOf(() =>
      validateDeployment(
        deployment('<vm_group><name>g</name><scaling><min_active>3</min_active><max_active>2</max_active></scaling></vm_group>'),
        PATH,
      ),
    );
    expect([err.tag, err.message, err.details]).toEqual([
      'invalid-value',
      'min_active (3) is greater than max_active (2)',
      { path: `${PATH}/esc:vm_group[name='g']/esc:scaling/esc:min_active`, badElement: 'min_active' },
    ]);
  });

  it('when min_active equals max_active, then it is accepted', () => {
    expect(() =>
      validateDeployment(
        deployment('<vm_group><name>g</name><scaling><min_active>2</min_active><max_active>2</max_active></scaling></vm_group>'),
        PATH,
      ),
    ).not.toThrow();
  });

  it('when min_active is not a number, then it is invalid-value on min_active under scaling', () => {
    const err = rpcErrorOf(() =>
      validateDeployment(deployment('<vm_group><name>g</name><scaling><min_active>two</min_active></scaling></vm_group>'), PATH),
    );
    expect(err.details.path).toBe(`${PATH}/esc:vm_group[name='g']/esc:scaling/esc:min_active`);
  });

  it('when two interfaces share a nicid, then it is data-exists', () => {
    const err = rpcErrorOf(() =>
      validateDeployment(
        deployment(
          '<vm_group><name>g</name><interfaces><interface><nicid>0</nicid></interface><interface><nicid>0</nicid></interface></interfaces></vm_group>',
        ),
        PATH,
      ),
    );
    expect([err.tag, err.message, err.details.badElement]).toEqual(['data-exists', 'duplicate nicid 0', 'nicid']);
  });

  it('when an interface has no nicid, then it is missing-element', () => {
    const err = rpcErrorOf(() =>
      validateDeployment(
        deployment('<vm_group><name>g</name><interfaces><interface><network>n</network></interface></interfaces></vm_group>'),
        PATH,
      ),
    );
    expect([err.tag, err.message, err.details]).toEqual([
      'missing-element',
      'interface without nicid',
      { path: `${PATH}/esc:vm_group[name='g']/esc:interfaces/esc:interface`, badElement: 'nicid' },
    ]);
  });

  it('when the second vm_group is wrong, then the error names that group', () => {
    const err = rpcErrorOf(() =>
      validateDeployment(
        deployment('<vm_group><name>ok</name></vm_group><vm_group><name>bad</name><bootup_time>x</bootup_time></vm_group>'),
        PATH,
      ),
    );
    expect(err.details.path).toBe(`${PATH}/esc:vm_group[name='bad']/esc:bootup_time`);
  });
});

describe('minActiveOf', () => {
  it.each([
    ['no scaling', '<vm_group><name>g</name></vm_group>', 1],
    ['an empty min_active', '<vm_group><scaling><min_active> </min_active></scaling></vm_group>', 1],
    ['min_active 4', '<vm_group><scaling><min_active> 4 </min_active></scaling></vm_group>', 4],
    ['min_active 0', '<vm_group><scaling><min_active>0</min_active></scaling></vm_group>', 0],
  ])('when the group has %s, then ESC starts %p VMs', (_what, xml, n) => {
    expect(minActiveOf(parseXml(xml))).toBe(n);
  });
});
