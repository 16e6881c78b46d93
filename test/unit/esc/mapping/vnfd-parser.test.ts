import { VnfdParseError } from '../../../../src/esc/mapping/mapping-errors';
import { parseVnfdModel } from '../../../../src/esc/mapping/vnfd-parser';
import { readFixture } from './golden';

const catalogText = readFixture('vnfd-catalog-sample.json');

/** Python's repr of a JSON value, as NSLCM stores the VNFD for scale. */
function pythonRepr(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${pythonRepr(k)}: ${pythonRepr(x)}`)
      .join(', ')}}`;
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

describe('parseVnfdModel', () => {
  it('when given the catalog sample as a JSON string, then reads the VDU, image, compute and external CP', () => {
    const vnfd = parseVnfdModel(catalogText);
    expect(vnfd).toMatchObject({ vnfdId: 'zte-hss-1.0', vnfProvider: 'zte', version: '1.0.0', vnfType: 'zte' });
    expect(vnfd.vdus).toHaveLength(1);
    expect(vnfd.vdus[0]).toEqual({
      vduId: 'vdu_vNat',
      name: 'vNat',
      description: 'the virtual machine of vNat',
      image: { name: 'vNatVNFImage', file: '/swimages/vRouterVNF_ControlPlane.qcow2' },
      flavorName: undefined,
      compute: { numVirtualCpu: 2, virtualMemMiB: 9537 },
      cps: [{ cpdId: 'SRIOV_Port', virtualLinkId: 'sriov_link', external: true, externalKey: 'sriov_plane' }],
      bootupTime: undefined,
      day0: [],
    });
    expect(vnfd.vls).toEqual([{ vlId: 'sriov_link', name: undefined, description: 'sriov_link' }]);
    expect(vnfd.externalCps).toEqual([{ cpdId: 'SRIOV_Port', keyName: 'sriov_plane' }]);
  });

  it('when given an object or a Python repr of the same VNFD, then the result is the same', () => {
    const obj = JSON.parse(catalogText) as object;
    const fromJson = parseVnfdModel(catalogText);
    expect(parseVnfdModel(obj)).toEqual(fromJson);
    expect(parseVnfdModel(pythonRepr(obj))).toEqual(fromJson);
  });

  it('when the model is wrapped as {vnfdModel: "<json>"}, then the inner model is read', () => {
    expect(parseVnfdModel({ vnfdModel: catalogText }).vnfdId).toBe('zte-hss-1.0');
  });

  it('when the VNFD uses virtual_compute, ordered CPs and SOL001 policies, then all are read', () => {
    const vnfd = parseVnfdModel(readFixture('vnfd-two-vdus.json'));
    const [fw, lb] = vnfd.vdus;
    expect(fw.compute).toEqual({ numVirtualCpu: 2, virtualMemMiB: 4096, diskGiB: 20 });
    expect(fw.image).toEqual({ name: 'fw-image-1.0', file: 'Artifacts/fw.qcow2' });
    expect(fw.cps.map((c) => c.cpdId)).toEqual(['fw_mgmt', 'fw_data']);
    expect(fw.day0).toEqual([{ dst: 'fw-day0.cfg', file: 'http://files.example/fw?role=<edge>&zone=core' }]);
    expect(vnfd.vls.find((v) => v.vlId === 'internal_vl')?.l3).toEqual({
      ipVersion: 'ipv4',
      cidr: '10.10.1.0/24',
      gatewayIp: '10.10.1.254',
      dhcpEnabled: true,
    });
    expect(lb.image).toEqual({ name: 'lb-image', file: 'Artifacts/lb.qcow2' });
    expect(lb.compute).toEqual({ numVirtualCpu: 1, virtualMemMiB: 2048 });
    expect(lb.cps).toEqual([
      { cpdId: 'lb_mgmt', virtualLinkId: 'mgmt_vl', external: true, externalKey: 'lb_mgmt_ext' },
      { cpdId: 'lb_data', virtualLinkId: 'internal_vl', external: false },
    ]);
    expect(vnfd.scalingAspects).toEqual([{ aspectId: 'fw_scale', vduIds: ['vdu_fw'], stepDeltas: { vdu_fw: 1 }, maxScaleLevel: 3 }]);
    expect(vnfd.instantiationLevels).toEqual({ vdu_fw: 2, vdu_lb: 1 });
    expect(vnfd.vduProfiles).toEqual({ vdu_fw: { min: 1, max: 4 } });
  });

  it('when the VNFD uses vnf_flavours with element groups (as in scale requests), then aspects and profiles are read', () => {
    const vnfd = parseVnfdModel(
      "{'vdus': [], 'vnf_flavours': [{'vdu_profiles': [{'vdu_id': 'gsu_vm', 'instances_minimum_number': 1, 'instances_maximum_number': 4}]," +
        " 'scaling_aspects': [{'id': 'demo_aspect', 'associated_group': 'g1', 'max_scale_level': 5}]}]," +
        " 'element_groups': [{'group_id': 'g1', 'members': ['gsu_vm', 'pfu_vm']}]}",
    );
    expect(vnfd.scalingAspects).toEqual([{ aspectId: 'demo_aspect', vduIds: ['gsu_vm', 'pfu_vm'], maxScaleLevel: 5 }]);
    expect(vnfd.vduProfiles).toEqual({ gsu_vm: { min: 1, max: 4 } });
  });

  it('when the text is neither JSON nor a Python literal, then throws VnfdParseError', () => {
    expect(() => parseVnfdModel('vdus = []')).toThrow(VnfdParseError);
    expect(() => parseVnfdModel('[1, 2]')).toThrow(/not an object/);
  });

  it('when a VL carries flat catalog properties or boot_data text, then both are read', () => {
    const vnfd = parseVnfdModel({
      vdus: [{ vdu_id: 'v', properties: { boot_data: 'hostname v' } }],
      vls: [{ vl_id: 'l', properties: { cidr: '192.168.5.0/24', ip_version: 4, dhcp_enabled: 'false', gateway_ip: '192.168.5.1' } }],
    });
    expect(vnfd.vls[0].l3).toEqual({ ipVersion: 'ipv4', cidr: '192.168.5.0/24', gatewayIp: '192.168.5.1', dhcpEnabled: false });
    expect(vnfd.vdus[0].day0).toEqual([{ dst: 'day0-config', data: 'hostname v' }]);
  });
});
