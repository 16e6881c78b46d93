import axios from 'axios';
import { startNslcmStub, seedDefaults, type NslcmStub } from '../../support/nslcm-stub';
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
});
