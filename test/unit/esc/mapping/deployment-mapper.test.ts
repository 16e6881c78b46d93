import { buildDeployment } from '../../../../src/esc/mapping/deployment-mapper';
import { VnfdMappingError } from '../../../../src/esc/mapping/mapping-errors';
import { writeXml as writeXmlOf } from '../../../../src/xml';
import { buildCatalogSampleInput, buildDeploymentInput, buildTwoVduInput, buildVdu, buildVnfd } from './builders';
import { expectGolden, prettyXml } from './golden';

function mappingError(fn: () => unknown): VnfdMappingError {
  try {
    fn();
  } catch (err) {
    if (err instanceof VnfdMappingError) return err;
    throw err;
  }
  throw new Error('expected a VnfdMappingError');
}

const DEPLOY_GUIDE = '"Deploy Service" example, lines 2131-2266';

describe('buildDeployment', () => {
  it('when given the catalog sample, then the esc_datamodel matches the golden file', () => {
    const plan = buildDeployment(buildCatalogSampleInput());
    expectGolden('deployment-catalog-sample.xml', prettyXml(plan.config()), DEPLOY_GUIDE);
    expect(plan.flavors).toEqual([{ name: 'onap-2vcpu-9537mb-0gb', vcpus: 2, memoryMb: 9537, rootDiskMb: 0 }]);
    expect(plan.vmGroups[0]).toMatchObject({
      name: 'vdu_vNat',
      vduId: 'vdu_vNat',
      minActive: 1,
      maxActive: 1,
      bootupTimeSec: 600,
      interfaces: [
        { nicid: 0, cpdId: 'SRIOV_Port', network: 'a39af676-5004-4f2d-8b7b-d4c804645dc3', external: true, vlInstanceId: 'ns-vl-1' },
      ],
    });
  });

  it('when given two VDUs with an internal link, levels and a day-0 file, then the XML matches the golden file', () => {
    const plan = buildDeployment(buildTwoVduInput());
    expectGolden('deployment-two-vdus.xml', prettyXml(plan.config()), DEPLOY_GUIDE);
    expect(plan.vmGroups.map((g) => [g.name, g.minActive, g.maxActive, g.bootupTimeSec, g.scaleBounds])).toEqual([
      ['vdu_fw', 2, 2, 600, { min: 2, max: 4 }],
      ['vdu_lb', 1, 1, 300, { min: 1 }],
    ]);
    expect(plan.networks).toEqual([
      {
        vlId: 'internal_vl',
        name: 'vnf-fwlb-12345678-internal_vl',
        subnet: {
          name: 'vnf-fwlb-12345678-internal_vl-subnet',
          ipVersion: 'ipv4',
          dhcp: true,
          address: '10.10.1.0',
          netmask: '255.255.255.0',
          gateway: '10.10.1.254',
        },
      },
    ]);
    expect(plan.vmGroups.map((g) => g.interfaces.map((i) => i.network))).toEqual([
      ['net-mgmt-id', 'vnf-fwlb-12345678-internal_vl'],
      ['net-mgmt-id', 'vnf-fwlb-12345678-internal_vl'],
    ]);
  });

  it('when a VDU is elastic, then max_active is the VNFD maximum and the group carries the load KPIs and rules', () => {
    const plan = buildDeployment(buildTwoVduInput({ inputs: { 'vdu_fw.elastic': true, vdu_lb: { bootup_time: '300' } } }));
    expectGolden('deployment-two-vdus-elastic.xml', prettyXml(plan.config()), DEPLOY_GUIDE);
    expect(plan.vmGroups.map((g) => [g.name, g.minActive, g.maxActive, g.elastic])).toEqual([
      ['vdu_fw', 2, 4, true],
      ['vdu_lb', 1, 1, false],
    ]);
  });

  it('when an inputs network is given for the internal link, then no deployment network is created', () => {
    const plan = buildDeployment(buildTwoVduInput({ inputs: { 'internal_vl.network': 'existing-net' } }));
    expect(plan.networks).toEqual([]);
    expect(writeXmlOf(plan.config())).not.toContain('<networks>');
    expect(plan.vmGroups.map((g) => g.interfaces[1].network)).toEqual(['existing-net', 'existing-net']);
  });

  it.each([
    ['no protocol data', {}, 'internal virtual link vl_int has no CIDR in its protocol data'],
    ['IPv6', { l3: { ipVersion: 'ipv6', cidr: 'fd00::/64' } }, 'internal virtual link vl_int asks for ipv6; only IPv4 subnets are created'],
    [
      'a bad CIDR',
      { l3: { cidr: '10.0.0.0/33' } },
      'internal virtual link vl_int has CIDR 10.0.0.0/33, not an IPv4 address/prefix of 8 to 30 bits',
    ],
    [
      'a gateway outside',
      { l3: { cidr: '10.0.0.0/24', gatewayIp: '10.0.1.1' } },
      'internal virtual link vl_int has gateway 10.0.1.1 outside 10.0.0.0/24',
    ],
  ])('when the internal link has %s, then the mapping fails naming the link and the input', (_w, vl, message) => {
    const vnfd = buildVnfd({
      vdus: [buildVdu({ cps: [{ cpdId: 'cp_int', virtualLinkId: 'vl_int', external: false }] })],
      vls: [{ vlId: 'vl_int', ...vl }],
    });
    const err = mappingError(() => buildDeployment(buildDeploymentInput({ vnfd })));
    expect(err.message).toBe(`${message} (or set inputs 'vl_int.network')`);
  });

  it('when a VDU has inline day-0 text, then the mapping fails: the guide takes day-0 files by URL', () => {
    const vnfd = buildVnfd({ vdus: [buildVdu({ day0: [{ dst: 'cfg', data: 'hostname a' }] })] });
    const err = mappingError(() => buildDeployment(buildDeploymentInput({ vnfd })));
    expect(err.message).toBe('VDU vdu_a day-0 cfg is inline text; ESC takes day-0 files by URL (give it as day0 {dst, file})');
  });

  it('when inputs override image, flavor and counts, then the overrides win', () => {
    const plan = buildDeployment(
      buildDeploymentInput({
        inputs: { 'vdu_a.image': 'img-x', 'vdu_a.flavor': 'm1.large', 'vdu_a.min_active': '2', vdu_a: { max_active: 5 } },
      }),
    );
    expect(plan.vmGroups[0]).toMatchObject({ image: 'img-x', flavor: 'm1.large', minActive: 2, maxActive: 5 });
    expect(plan.flavors).toEqual([]);
  });

  it('when a VDU has no compute and a default flavor is configured, then the default is used', () => {
    const plan = buildDeployment(
      buildDeploymentInput({
        vnfd: buildVnfd({ vdus: [buildVdu({ compute: undefined })] }),
        defaults: { flavor: 'm1.small', bootupTimeSec: 120, rebootTimeSec: 60 },
      }),
    );
    expect(plan.vmGroups[0]).toMatchObject({ flavor: 'm1.small', bootupTimeSec: 120, rebootTimeSec: 60 });
  });

  it('when the VDU has no software image, then the error names the VDU and nothing is built', () => {
    const err = mappingError(() =>
      buildDeployment(buildDeploymentInput({ vnfd: buildVnfd({ vdus: [buildVdu({ vduId: 'vdu_noimg', image: undefined })] }) })),
    );
    expect(err.message).toBe("VDU vdu_noimg has no software image (no image_file or SwImage artifact; or set inputs 'vdu_noimg.image')");
    expect(err.problems).toEqual([expect.objectContaining({ vduId: 'vdu_noimg', field: 'image' })]);
  });

  it('when several VDUs lack several things, then every problem is listed at once', () => {
    const vnfd = buildVnfd({
      vdus: [
        buildVdu({ vduId: 'v1', image: undefined, compute: { numVirtualCpu: 2 } }),
        buildVdu({ vduId: 'v2', cps: [] }),
        buildVdu({ vduId: 'v3', cps: [{ cpdId: 'cp_int', virtualLinkId: 'vl_int', external: false }] }),
      ],
    });
    const err = mappingError(() => buildDeployment(buildDeploymentInput({ vnfd, inputs: { 'v2.min_active': 'many' } })));
    expect(err.problems.map((p) => p.message)).toEqual([
      "VDU v1 has no software image (no image_file or SwImage artifact; or set inputs 'v1.image')",
      "VDU v1 has no flavor (compute requirements lack the virtual memory size; or set inputs 'v1.flavor')",
      'VDU v2 has no connection points (ESC needs at least one interface to monitor VM_ALIVE)',
      "inputs 'v2.min_active' must be an integer from 0 to 1000",
      "internal virtual link vl_int is not described in the VNFD (or set inputs 'vl_int.network')",
    ]);
  });

  it('when an external CP has no extVirtualLink, then the error names the CP and the ids looked for', () => {
    const err = mappingError(() => buildDeployment(buildCatalogSampleInput({ extVirtualLinks: [] })));
    expect(err.message).toBe('VDU vdu_vNat CP SRIOV_Port has no network (no extVirtualLink with cpdId SRIOV_Port or sriov_plane)');
  });

  it('when min_active exceeds max_active, then it fails naming the VDU', () => {
    const err = mappingError(() => buildDeployment(buildDeploymentInput({ inputs: { 'vdu_a.min_active': 3, 'vdu_a.max_active': 2 } })));
    expect(err.message).toBe('VDU vdu_a: min_active 3 exceeds max_active 2');
  });

  it('when names and inputs hold XML-special characters, then they are escaped, never markup', () => {
    const plan = buildDeployment(
      buildDeploymentInput({
        tenant: 'ten<ant>&"x"',
        inputs: { 'vdu_a.image': '</image><flavor>evil</flavor>', 'cp_mgmt.network': "net'&<x/>" },
        vnfd: buildVnfd({ vdus: [buildVdu({ day0: [{ dst: 'cfg<1>', file: ']]><injected/>' }] })] }),
      }),
    );
    const text = writeXmlOf(plan.config());
    expect(text).toContain('<name>ten&lt;ant&gt;&amp;"x"</name>');
    expect(text).toContain('<image>&lt;/image&gt;&lt;flavor&gt;evil&lt;/flavor&gt;</image>');
    expect(text).toContain("<network>net'&amp;&lt;x/&gt;</network>");
    expect(text).toContain('<file>]]&gt;&lt;injected/&gt;</file>');
    expect(text.match(/<flavor>/g)).toHaveLength(1);
  });

  it('when ONAP owns healing, then no VM_ALIVE rule carries a recovery action and the rest of the rule stays (guide ~4746)', () => {
    const rules = (xml: string): string[] => [...xml.matchAll(/<action>([^<]*)<\/action>/g)].map((m) => m[1]);
    const esc = writeXmlOf(buildDeployment(buildTwoVduInput()).config());
    const onap = writeXmlOf(buildDeployment({ ...buildTwoVduInput(), autoRecovery: false }).config());
    expect(rules(esc)).toContain('FALSE recover autohealing');
    expect(rules(onap)).not.toContain('FALSE recover autohealing');
    expect(rules(onap)).toEqual(rules(esc).filter((a) => a !== 'FALSE recover autohealing'));
    expect(rules(onap)).toContain('ALWAYS log');
  });
});
