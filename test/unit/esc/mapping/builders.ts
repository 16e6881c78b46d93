import type { BuildDeploymentInput } from '../../../../src/esc/mapping/deployment-mapper';
import type { CpModel, VduModel, VnfdModel } from '../../../../src/esc/mapping/vnfd-model';
import { parseVnfdModel } from '../../../../src/esc/mapping/vnfd-parser';
import { readFixture } from './golden';

export function buildVdu(overrides: Partial<VduModel> = {}): VduModel {
  const cps: CpModel[] = [{ cpdId: 'cp_mgmt', virtualLinkId: 'vl_mgmt', external: true }];
  return {
    vduId: 'vdu_a',
    name: 'a',
    image: { name: 'image-a' },
    compute: { numVirtualCpu: 1, virtualMemMiB: 1024 },
    cps,
    day0: [],
    ...overrides,
  };
}

export function buildVnfd(overrides: Partial<VnfdModel> = {}): VnfdModel {
  return {
    vnfdId: 'vnfd-1',
    vdus: [buildVdu()],
    vls: [],
    externalCps: [{ cpdId: 'cp_mgmt' }],
    scalingAspects: [],
    instantiationLevels: {},
    vduProfiles: {},
    ...overrides,
  };
}

export function buildDeploymentInput(overrides: Partial<BuildDeploymentInput> = {}): BuildDeploymentInput {
  return {
    tenant: 'tenant-1',
    deploymentName: 'vnf-dep-1',
    vnfd: buildVnfd(),
    extVirtualLinks: [{ cpdId: 'cp_mgmt', resourceId: 'net-mgmt', vlInstanceId: 'ns-vl-mgmt' }],
    inputs: {},
    ...overrides,
  };
}

/** The catalog sample bound to one external network, as NSLCM would send it. */
export function buildCatalogSampleInput(overrides: Partial<BuildDeploymentInput> = {}): BuildDeploymentInput {
  return buildDeploymentInput({
    tenant: 'onap-tenant',
    deploymentName: 'vnf-3f2a-deadbeef',
    vnfd: parseVnfdModel(readFixture('vnfd-catalog-sample.json')),
    extVirtualLinks: [
      {
        cpdId: 'sriov_plane',
        resourceId: 'a39af676-5004-4f2d-8b7b-d4c804645dc3',
        resourceSubnetId: 'de4625ad-5465-4812-ab9c-de4a0ed21063',
        vlInstanceId: 'ns-vl-1',
      },
    ],
    ...overrides,
  });
}

export function buildTwoVduInput(overrides: Partial<BuildDeploymentInput> = {}): BuildDeploymentInput {
  return buildDeploymentInput({
    tenant: 'onap-tenant',
    deploymentName: 'vnf-fwlb-12345678',
    vnfd: parseVnfdModel(readFixture('vnfd-two-vdus.json')),
    extVirtualLinks: [
      { cpdId: 'fw_mgmt_ext', resourceId: 'net-mgmt-id', vlInstanceId: 'ns-vl-mgmt' },
      { cpdId: 'lb_mgmt', resourceId: 'net-mgmt-id', vlInstanceId: 'ns-vl-mgmt' },
    ],
    inputs: { vdu_lb: { bootup_time: '300' } },
    ...overrides,
  });
}
