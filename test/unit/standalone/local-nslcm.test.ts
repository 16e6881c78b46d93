import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GrantRefusedError, NslcmError } from '../../../src/nslcm/nslcm-errors';
import { buildGrantRequest, type GrantInput } from '../../../src/nslcm/grant-request';
import type { NotifyBody } from '../../../src/nslcm/nslcm-types';
import { openDatabase, type Db } from '../../../src/store/database';
import { StandaloneStore } from '../../../src/standalone/standalone-store';
import { LocalNslcm } from '../../../src/standalone/local-nslcm';
import { DEFAULT_STANDALONE_DIR, loadStandaloneConfig, type StandaloneConfig } from '../../../src/standalone/standalone-config';

const VARS = { ESC_SIMULATOR_PORT: '18999', ESC_SIMULATOR_PASSWORD: 'pw-from-simulator' };

function buildGrant(overrides: Partial<GrantInput> = {}) {
  return buildGrantRequest({
    vnfInstanceId: 'vnf-1',
    vnfDescriptorId: 'sample-web-db',
    operation: 'Instantiate',
    jobId: 'job-1',
    vnfmId: 'standalone-esc',
    vim: { cloudOwner: 'standalone', cloudRegionId: 'region1' },
    add: [{ vdu: 'vdu_web' }, { vdu: 'vdu_web' }, { vdu: 'vdu_db' }],
    ...overrides,
  });
}

function buildNotify(overrides: Record<string, unknown> = {}): NotifyBody {
  return {
    status: 'RESULT',
    operation: 'Instantiate',
    jobId: 'job-1',
    affectedVnfc: [
      { vnfcInstanceId: 'c1', vduId: 'vdu_web', changeType: 'ADDED', vimId: 'standalone_region1', vmId: 'vm-1', vmName: 'web_0' },
    ],
    affectedVl: [],
    affectedCp: [],
    affectedVirtualStorage: [],
    ...overrides,
  };
}

describe('LocalNslcm', () => {
  let db: Db;
  let config: StandaloneConfig;
  let nslcm: LocalNslcm;

  beforeEach(() => {
    db = openDatabase(':memory:');
    config = loadStandaloneConfig(DEFAULT_STANDALONE_DIR, VARS);
    nslcm = new LocalNslcm({ config, store: new StandaloneStore(db) });
  });

  afterEach(() => db.close());

  describe('VNFMs and VIMs', () => {
    it('when the standalone VNFM is looked up, then its url points at the simulator port and the password is hidden from JSON', async () => {
      const info = await nslcm.getVnfmInfo('standalone-esc');
      expect(info.url).toBe('ssh://127.0.0.1:18999');
      expect(info.userName).toBe('admin');
      expect(info.password).toBe('pw-from-simulator');
      expect(JSON.stringify(info)).not.toContain('pw-from-simulator');
    });

    it('when an unknown VNFM or VIM is looked up, then an NslcmError with status 404 names it', async () => {
      await expect(nslcm.getVnfmInfo('nope')).rejects.toMatchObject({
        name: 'NslcmError',
        status: 404,
        message: expect.stringContaining('nope') as unknown,
      });
      await expect(nslcm.getVimInfo('standalone', 'elsewhere')).rejects.toMatchObject({ status: 404 });
    });

    it('when the standalone VIM is looked up, then vimId is owner_region', async () => {
      const vim = await nslcm.getVimInfo('standalone', 'region1');
      expect(vim).toMatchObject({ vimId: 'standalone_region1', tenant: 'demo', type: 'openstack' });
    });

    it('when a placeholder of vnfms.json is not given, then loading names the placeholder', () => {
      expect(() => loadStandaloneConfig(DEFAULT_STANDALONE_DIR, { ESC_SIMULATOR_PORT: '1' })).toThrow(
        /vnfms\.json.*ESC_SIMULATOR_PASSWORD/,
      );
    });
  });

  describe('packages', () => {
    it('when the sample package is read, then vnfdModel is a JSON string of a two-VDU VNFD', async () => {
      const pkg = await nslcm.getVnfPackage('sample-web-db-1.0');
      expect(pkg.packageInfo.vnfdId).toBe('sample-web-db');
      const model = JSON.parse(pkg.packageInfo.vnfdModel) as { vdus: Array<{ vdu_id: string }> };
      expect(model.vdus.map((v) => v.vdu_id)).toEqual(['vdu_web', 'vdu_db']);
      expect(pkg.imageInfo).toHaveLength(2);
    });

    it('when the package is unknown or the id climbs out of packages/, then a 404 NslcmError is raised', async () => {
      await expect(nslcm.getVnfPackage('missing-1.0')).rejects.toMatchObject({ status: 404, call: 'getVnfPackage' });
      await expect(nslcm.getVnfPackage('..')).rejects.toMatchObject({ status: 404 });
      await expect(nslcm.getVnfPackage('../vnfms.json')).rejects.toMatchObject({ status: 404 });
    });

    it('when a package file is not JSON, then the error says which file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-nslcm-'));
      fs.mkdirSync(path.join(dir, 'packages', 'broken'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'packages', 'broken', 'vnf-package.json'), '{not json');
      const local = new LocalNslcm({ config: { ...config, dir }, store: new StandaloneStore(db) });
      await expect(local.getVnfPackage('broken')).rejects.toThrow(/vnf-package\.json cannot be read/);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('grants', () => {
    it('when an instantiate within the limit is asked, then the VIM and its configured tenant are granted', async () => {
      await expect(nslcm.grantVnf(buildGrant())).resolves.toMatchObject({ vimId: 'standalone_region1', tenant: 'demo' });
    });

    it('when VMs granted in the VIM would exceed maxVms, then the grant is refused with GrantRefusedError naming the limit', async () => {
      await nslcm.grantVnf(buildGrant());
      await nslcm.grantVnf(buildGrant({ operation: 'Scaleout', jobId: 'job-2', add: [{ vdu: 'vdu_web' }] }));
      const second = buildGrant({ vnfInstanceId: 'vnf-2', jobId: 'job-3', add: Array.from({ length: 5 }, () => ({ vdu: 'vdu_web' })) });
      const refused = nslcm.grantVnf(second);
      await expect(refused).rejects.toBeInstanceOf(GrantRefusedError);
      await expect(refused).rejects.toThrow(/would hold 9 VMs, more than its limit of 8 \(now 4\)/);
    });

    it('when a VNF terminates, then its VMs no longer count against the limit', async () => {
      await nslcm.grantVnf(buildGrant({ add: Array.from({ length: 8 }, () => ({ vdu: 'vdu_web' })) }));
      await nslcm.grantVnf(buildGrant({ operation: 'Terminate', jobId: 'job-t', add: [], remove: [{ vdu: 'vdu_web' }] }));
      await expect(nslcm.grantVnf(buildGrant({ vnfInstanceId: 'vnf-2', jobId: 'job-2' }))).resolves.toMatchObject({ tenant: 'demo' });
    });

    it('when the same job asks again, then the first answer is repeated without counting twice', async () => {
      const req = buildGrant({ add: Array.from({ length: 5 }, () => ({ vdu: 'vdu_web' })) });
      await nslcm.grantVnf(req);
      await expect(nslcm.grantVnf(req)).resolves.toMatchObject({ vimId: 'standalone_region1' });
      await expect(nslcm.grantVnf(buildGrant({ vnfInstanceId: 'vnf-2', jobId: 'job-2' }))).resolves.toBeDefined();
    });

    it('when the VIM is not configured or the operation not allowed, then the refusal says so', async () => {
      await expect(nslcm.grantVnf(buildGrant({ vim: { cloudOwner: 'other', cloudRegionId: 'r' } }))).rejects.toThrow(
        /VIM other_r is not in the standalone grant configuration/,
      );
      await expect(nslcm.grantVnf(buildGrant({ operation: 'Scaleup' }))).rejects.toThrow(
        /operation Scaleup is not allowed in VIM standalone_region1/,
      );
    });

    it('when the request is malformed as NSLCM would reject it, then it is refused naming the field', async () => {
      const bad = { ...buildGrant(), lifecycleOperation: 'Terminal', additionalParam: { vnfmid: 'x', vimid: 1 } } as never;
      await expect(nslcm.grantVnf(bad)).rejects.toThrow(/lifecycleOperation.*Terminal.*additionalParam\.vimid: not a valid string/);
    });
  });

  describe('Notify', () => {
    it('when valid Notify bodies arrive, then they are listed in arrival order, per VNF on request', async () => {
      await nslcm.notify('standalone-esc', 'vnf-1', buildNotify({ status: 'START', affectedVnfc: [] }));
      await nslcm.notify('standalone-esc', 'vnf-2', buildNotify({ jobId: 'job-9' }));
      await nslcm.notify('standalone-esc', 'vnf-1', buildNotify());
      expect((await nslcm.listNotifications()).map((n) => [n.vnfInstanceId, n.status])).toEqual([
        ['vnf-1', 'START'],
        ['vnf-2', 'RESULT'],
        ['vnf-1', 'RESULT'],
      ]);
      const own = await nslcm.listNotifications('vnf-1');
      expect(own).toHaveLength(2);
      expect(own[1].body).toEqual(buildNotify());
    });

    it('when a Notify lacks an affected array or uses a lowercase changeType, then it is refused with 500 as NSLCM answers and not kept', async () => {
      const { affectedCp: _drop, ...noCp } = buildNotify();
      await expect(nslcm.notify('standalone-esc', 'vnf-1', noCp as NotifyBody)).rejects.toMatchObject({
        status: 500,
        message: expect.stringContaining('affectedCp: this field is required') as unknown,
      });
      const lower = buildNotify({ affectedVnfc: [{ ...buildNotify().affectedVnfc[0], changeType: 'added' }] });
      await expect(nslcm.notify('standalone-esc', 'vnf-1', lower)).rejects.toThrow(/affectedVnfc\[0\]\.changeType: "added"/);
      expect(await nslcm.listNotifications()).toHaveLength(0);
    });

    it('when the lowercase dialect is configured, then lowercase enums are accepted and uppercase refused', async () => {
      const old = new LocalNslcm({ config, store: new StandaloneStore(db), dialect: 'lowercase' });
      const body = buildNotify({ status: 'result', affectedVnfc: [{ ...buildNotify().affectedVnfc[0], changeType: 'added' }] });
      await expect(old.notify('standalone-esc', 'vnf-1', body)).resolves.toBeUndefined();
      await expect(old.notify('standalone-esc', 'vnf-1', buildNotify())).rejects.toBeInstanceOf(NslcmError);
    });
  });
});
