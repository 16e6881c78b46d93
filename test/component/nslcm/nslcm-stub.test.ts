import axios from 'axios';
import { startNslcmStub, seedDefaults, type NslcmStub } from '../../support/nslcm-stub';
import type { NotifyBody } from '../../../src/nslcm/nslcm-types';
import { buildNotifyBody } from './notify-fixtures';

const validGrant = () => ({
  vnfInstanceId: 'vnf-1',
  vnfDescriptorId: 'vnfd-1',
  lifecycleOperation: 'Instantiate',
  jobId: 'job-1',
  addResource: [{ type: 'VDU', vdu: 'vdu_ctrl', resourceDefinitionId: 'r1' }],
  removeResource: [],
  additionalParam: { vnfmid: 'vnfm-esc-1', vimid: '{"cloud_owner":"CloudOwner","cloud_regionid":"RegionOne"}' },
  vimId: { cloud_owner: 'CloudOwner', cloud_regionid: 'RegionOne' },
});

describe('NSLCM stub strictness', () => {
  let stub: NslcmStub;
  const http = axios.create({ validateStatus: () => true, proxy: false });
  beforeEach(async () => {
    stub = await startNslcmStub();
    seedDefaults(stub);
  });
  afterEach(() => stub.stop());

  const grant = (body: unknown) => http.post(`${stub.url}/api/nslcm/v1/ns/grantvnf`, body);
  const notify = (body: unknown) => http.post(`${stub.url}/api/nslcm/v1/ns/vnfm-esc-1/vnfs/vnf-1/Notify`, body);

  it('when the grant is valid, then it answers 201 with the camelCase vim object', async () => {
    const res = await grant(validGrant());
    expect(res.status).toBe(201);
    expect(res.data).toEqual({ vim: { vimId: 'CloudOwner_RegionOne', accessInfo: { tenant: 'demo-tenant' } } });
  });

  it.each([
    ['lifecycleOperation is the older spelling Terminal', { lifecycleOperation: 'Terminal' }],
    ['lifecycleOperation is lowercase', { lifecycleOperation: 'instantiate' }],
    ['removeResource is missing', { removeResource: undefined }],
    ['addResource is not a list', { addResource: {} }],
    ['a resource has no type', { addResource: [{ vdu: 'x' }] }],
    ['additionalParam.vimid is an object', { additionalParam: { vnfmid: 'v', vimid: { cloud_owner: 'o' } } }],
    ['vnfInstanceId is empty', { vnfInstanceId: '' }],
  ])('when %s, then the grant is refused with 409 and an error text', async (_what, patch) => {
    const res = await grant({ ...validGrant(), ...patch });
    expect(res.status).toBe(409);
    expect(typeof (res.data as { error?: unknown }).error).toBe('string');
  });

  it('when a Notify is valid, then it answers 201 {}', async () => {
    const res = await notify(buildNotifyBody());
    expect([res.status, res.data]).toEqual([201, {}]);
  });

  it.each([
    ['status is lowercase', { status: 'start' }],
    ['operation is Terminal', { operation: 'Terminal' }],
    ['affectedVl is missing', { affectedVl: undefined }],
    ['affectedVirtualStorage is missing', { affectedVirtualStorage: undefined }],
    ['a changeType is lowercase', { affectedVnfc: [{ ...buildNotifyBody().affectedVnfc[0], changeType: 'added' }] }],
    ['a networkResource has a bad resourceType', { affectedVl: [{ changeType: 'ADDED', networkResource: { resourceType: 'subnet' } }] }],
    ['a vmId is an object', { affectedVnfc: [{ changeType: 'ADDED', vmId: { id: 1 } }] }],
  ])('when %s, then the Notify is answered 500', async (_what, patch) => {
    const res = await notify({ ...buildNotifyBody(), ...patch });
    expect(res.status).toBe(500);
  });

  it('when the stub speaks the older dialect, then lowercase Notify enums are accepted and uppercase refused', async () => {
    const old = await startNslcmStub({ dialect: 'lowercase' });
    try {
      const body = buildNotifyBody();
      const lower = {
        ...body,
        status: 'result',
        affectedVnfc: [{ ...body.affectedVnfc[0], changeType: 'added' }],
        affectedVl: [],
        affectedCp: [],
      };
      const ok = await http.post(`${old.url}/api/nslcm/v1/ns/m/vnfs/v/Notify`, lower);
      const bad = await http.post(`${old.url}/api/nslcm/v1/ns/m/vnfs/v/Notify`, body);
      expect([ok.status, bad.status]).toEqual([201, 500]);
    } finally {
      await old.stop();
    }
  });

  it('when the old /vims/{vimid} form is used, then it answers 404', async () => {
    const res = await http.get(`${stub.url}/api/nslcm/v1/vims/CloudOwner_RegionOne`);
    expect(res.status).toBe(404);
  });

  it('when the stub went down and came back, then it answers on the same port and kept its records', async () => {
    await http.get(`${stub.url}/api/nslcm/v1/vnfms/vnfm-esc-1`);
    await stub.goDown();
    await expect(http.get(`${stub.url}/api/nslcm/v1/vnfms/vnfm-esc-1`)).rejects.toHaveProperty(
      'code',
      expect.stringMatching(/ECONNREFUSED|ECONNRESET/),
    );
    await stub.comeBack();
    const res = await http.get(`${stub.url}/api/nslcm/v1/vnfms/vnfm-esc-1`);
    expect(res.status).toBe(200);
    expect(stub.calls.map((c) => c.status)).toEqual([200, 200]);
  });

  describe("inventory kept as NSLCM's notify_lcm keeps it", () => {
    const removal = (): NotifyBody => {
      const added = buildNotifyBody();
      return {
        ...added,
        operation: 'Terminate',
        affectedVnfc: added.affectedVnfc.map((v) => ({ ...v, changeType: 'REMOVED' })),
        affectedVl: added.affectedVl.map((v) => ({ ...v, changeType: 'REMOVED' })),
        affectedCp: added.affectedCp.map((v) => ({ ...v, changeType: 'REMOVED' })),
      };
    };

    it('when VNFCs, VLs and CPs are ADDED, then their rows, the VM row and the A&AI vserver exist', async () => {
      expect((await notify(buildNotifyBody())).status).toBe(201);
      expect(stub.inventory.vnfcs.get('vnfc-1')).toEqual({ vnfcInstanceId: 'vnfc-1', vduId: 'vdu_ctrl', vmId: 'vm-1', nfInstId: 'vnf-1' });
      expect(stub.inventory.vms.get('vm-1')).toMatchObject({ vmName: 'ctrl-0', instId: 'vnf-1' });
      expect([...stub.inventory.aaiVservers]).toEqual(['vm-1']);
      expect(stub.inventory.vls.get('vl-1')).toMatchObject({ ownerType: 'VNF', ownerId: 'vnf-1' });
      expect(stub.inventory.cps.get('cp-1')).toMatchObject({ virtualLinkInstanceId: 'vl-1', ipAddress: '10.0.0.2' });
    });

    it('when they are REMOVED, then the VNFC, VL and CP rows and the vserver go, and the VM row stays', async () => {
      await notify(buildNotifyBody());
      expect((await notify(removal())).status).toBe(201);
      expect([stub.inventory.vnfcs.size, stub.inventory.vls.size, stub.inventory.cps.size, stub.inventory.aaiVservers.size]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(stub.inventory.vms.has('vm-1')).toBe(true);
    });

    it('when a VL is REMOVED, then its row goes whoever owns it, even the NS', async () => {
      stub.inventory.vls.set('vl-1', { vlInstanceId: 'vl-1', vldId: 'ext', ownerType: 'NS', ownerId: 'ns-1' });
      await notify({ ...removal(), affectedVnfc: [], affectedCp: [] });
      expect(stub.inventory.vls.has('vl-1')).toBe(false);
    });

    it('when a VNFC is MODIFIED, then only its vmId changes: no VM row and no vserver for the new VM', async () => {
      await notify(buildNotifyBody());
      const modified = buildNotifyBody().affectedVnfc.map((v) => ({ ...v, changeType: 'MODIFIED', vmId: 'vm-2' }));
      await notify({ ...buildNotifyBody(), affectedVnfc: modified, affectedVl: [], affectedCp: [] });
      expect(stub.inventory.vnfcs.get('vnfc-1')?.vmId).toBe('vm-2');
      expect(stub.inventory.vms.has('vm-2')).toBe(false);
      expect([...stub.inventory.aaiVservers]).toEqual(['vm-1']);
    });

    it('when a Notify is refused, then the inventory does not change', async () => {
      expect((await notify({ ...buildNotifyBody(), affectedCp: undefined })).status).toBe(500);
      expect(stub.inventory.vnfcs.size).toBe(0);
    });
  });
});
