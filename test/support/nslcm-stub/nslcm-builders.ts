import vnfdModel from '../../fixtures/nslcm/vnfd-model.json';

/** A VNFM as NSLCM answers `GET /api/nslcm/v1/vnfms/{id}`. */
export interface StubVnfm {
  vnfmId: string;
  name: string;
  type: string;
  vimId: string;
  vendor: string;
  version: string;
  description: string;
  certificateUrl: string;
  url: string;
  userName: string;
  password: string;
  createTime: string;
}

/** A VNFM whose url points to an ESC at `escHost:escPort` (ssh:// form unless `url` is given). */
export function buildVnfmInfo(overrides: Partial<StubVnfm> & { escHost?: string; escPort?: number } = {}): StubVnfm {
  const { escHost = '127.0.0.1', escPort = 830, ...rest } = overrides;
  return {
    vnfmId: 'vnfm-esc-1',
    name: 'ESC_VNFM_1',
    type: 'ciscovnfmdriver',
    vimId: 'CloudOwner_RegionOne',
    vendor: 'Cisco',
    version: '5.10',
    description: '',
    certificateUrl: '',
    url: `ssh://${escHost.includes(':') ? `[${escHost}]` : escHost}:${escPort}`,
    userName: 'admin',
    password: 'esc-secret-pw',
    createTime: '2024-01-01 00:00:00',
    ...rest,
  };
}

/** A VIM as NSLCM answers `GET /api/nslcm/v1/vims/{owner}/{region}`. */
export function buildVimInfo(cloudOwner = 'CloudOwner', cloudRegionId = 'RegionOne', overrides: Record<string, unknown> = {}) {
  return {
    vimId: `${cloudOwner}_${cloudRegionId}`,
    name: `${cloudOwner}_${cloudRegionId}`,
    url: 'http://127.0.0.1:5000/v3',
    userName: 'vim-admin',
    password: 'vim-secret-pw',
    tenantId: 'tenant-id-1',
    tenant: 'demo-tenant',
    vendor: 'openstack',
    version: 'ocata',
    description: '',
    domain: 'Default',
    type: 'openstack',
    sslCacert: '',
    sslInsecure: 'True',
    status: 'active',
    ...overrides,
  };
}

/** The parsed VNFD of the demo package (two VDUs, two VLs, three CPs). */
export function buildVnfdModel(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(vnfdModel)) as Record<string, unknown>;
}

/** A package as the catalog answers `GET /api/catalog/v1/vnfpackages/{csarId}` (vnfdModel as JSON string). */
export function buildVnfPackage(csarId = 'csar-esc-demo-1', model: Record<string, unknown> = buildVnfdModel()) {
  const meta = (model.metadata ?? {}) as Record<string, string>;
  return {
    csarId,
    packageInfo: {
      vnfdId: meta.vnfdId ?? 'esc-demo-vnfd-1.0',
      vnfdProvider: meta.vnfProvider ?? 'example',
      vnfdVersion: meta.vnfdVersion ?? '1.0.0',
      vnfVersion: meta.vnfSoftwareVersion ?? '1.0.0',
      csarName: `${csarId}.csar`,
      vnfdModel: JSON.stringify(model),
      downloadUrl: `http://127.0.0.1/csars/${csarId}.csar`,
    },
    imageInfo: [],
  };
}
