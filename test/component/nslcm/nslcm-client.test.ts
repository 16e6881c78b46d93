import { inspect } from 'node:util';
import { NslcmClient } from '../../../src/nslcm/nslcm-client';
import { GrantRefusedError, NslcmError } from '../../../src/nslcm/nslcm-errors';
import { buildGrantRequest } from '../../../src/nslcm/grant-request';
import { AbortedError } from '../../../src/nslcm/retry-policy';
import { seedDefaults, startNslcmStub, type NslcmStub } from '../../support/nslcm-stub';
import { buildNotifyBody } from './notify-fixtures';

const fastRetry = { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 };

describe('NslcmClient against the NSLCM stub', () => {
  let stub: NslcmStub;
  let client: NslcmClient;

  beforeEach(async () => {
    stub = await startNslcmStub();
    seedDefaults(stub, { host: '127.0.0.1', port: 2022 });
    client = new NslcmClient({ baseUrl: stub.url, partnerName: 'ciscovnfmdriver', timeoutMs: 500, retry: fastRetry });
  });
  afterEach(() => stub.stop());

  const grant = (overrides = {}) =>
    buildGrantRequest({
      vnfInstanceId: 'vnf-1',
      vnfDescriptorId: 'vnfd-1',
      operation: 'Instantiate',
      jobId: 'job-1',
      vnfmId: 'vnfm-esc-1',
      vim: { cloudOwner: 'CloudOwner', cloudRegionId: 'RegionOne' },
      add: [{ vdu: 'vdu_ctrl' }],
      ...overrides,
    });

  it('when the VNFM is registered, then its info comes back with a hidden password', async () => {
    const info = await client.getVnfmInfo('vnfm-esc-1');
    expect(info).toMatchObject({ vnfmId: 'vnfm-esc-1', url: 'ssh://127.0.0.1:2022', userName: 'admin', type: 'ciscovnfmdriver' });
    expect(info.password).toBe('esc-secret-pw');
    expect(JSON.stringify(info)).not.toContain('esc-secret-pw');
  });

  it('when the VIM is asked by owner and region, then the CONTRACT fields come back', async () => {
    const vim = await client.getVimInfo('CloudOwner', 'RegionOne');
    expect(vim).toMatchObject({ vimId: 'CloudOwner_RegionOne', tenant: 'demo-tenant', type: 'openstack', domain: 'Default' });
    expect(stub.calls[0].path).toBe('/api/nslcm/v1/vims/CloudOwner/RegionOne');
  });

  it('when the package is fetched, then vnfdModel is a JSON string of the VNFD', async () => {
    const pkg = await client.getVnfPackage('csar-esc-demo-1');
    expect(typeof pkg.packageInfo.vnfdModel).toBe('string');
    expect((JSON.parse(pkg.packageInfo.vnfdModel) as { vdus: unknown[] }).vdus).toHaveLength(2);
    expect(pkg.packageInfo.vnfdId).toBe('esc-demo-vnfd-1.0');
  });

  it('when the VNFM is unknown, then an NslcmError with status 404 is thrown after one attempt', async () => {
    const err = await client.getVnfmInfo('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NslcmError);
    expect(err).toMatchObject({ status: 404, call: 'getVnfmInfo', attempts: 1 });
    expect(stub.calls).toHaveLength(1);
  });

  it('when NSLCM answers 503 twice then 200, then the call succeeds on the third attempt', async () => {
    stub.failNext('/api/nslcm/v1/vnfms/vnfm-esc-1', 503, 2);
    await expect(client.getVnfmInfo('vnfm-esc-1')).resolves.toMatchObject({ vnfmId: 'vnfm-esc-1' });
    expect(stub.calls.map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('when NSLCM keeps answering 500, then the error names the call, status and attempts and hides the password', async () => {
    stub.failNext(/vnfms/, 500, 10);
    const err = (await client.getVnfmInfo('vnfm-esc-1').catch((e: unknown) => e)) as NslcmError;
    expect(err).toMatchObject({ status: 500, attempts: 3, url: `${stub.url}/api/nslcm/v1/vnfms/vnfm-esc-1` });
    expect(err.bodyExcerpt).toContain('injected failure');
    expect(err.message).not.toContain('esc-secret-pw');
  });

  it('when NSLCM never answers, then each attempt times out and the call fails within the bound', async () => {
    stub.hangNext(/vnfms/, 10);
    const started = Date.now();
    const err = (await client.getVnfmInfo('vnfm-esc-1').catch((e: unknown) => e)) as NslcmError;
    expect(err).toBeInstanceOf(NslcmError);
    expect(err.message).toMatch(/timed out after 500 ms/);
    expect(err.attempts).toBe(3);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('when the caller aborts while NSLCM hangs, then the call ends at once with AbortedError', async () => {
    stub.hangNext(/vnfms/, 1);
    const ac = new AbortController();
    const slow = new NslcmClient({ baseUrl: stub.url, partnerName: 'ciscovnfmdriver', timeoutMs: 10_000, retry: fastRetry });
    const p = slow.getVnfmInfo('vnfm-esc-1', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toBeInstanceOf(AbortedError);
  });

  it('when nothing listens, then connection errors are retried and reported', async () => {
    await stub.goDown();
    const err = (await client.getVnfmInfo('vnfm-esc-1').catch((e: unknown) => e)) as NslcmError;
    expect(err.message).toMatch(/connection failed: ECONNREFUSED/);
    expect(err.attempts).toBe(3);
    await stub.comeBack();
  });

  it('when MSB_URL carries a login and the connection fails, then nothing in the error or its causes holds the password or the basic authentication pair', async () => {
    await stub.goDown();
    const withLogin = new NslcmClient({
      baseUrl: stub.url.replace('http://', 'http://msbadmin:Pl4nted-MSB-s3cret@'),
      partnerName: 'ciscovnfmdriver',
      timeoutMs: 500,
      retry: fastRetry,
    });
    const err = (await withLogin.getVnfmInfo('vnfm-esc-1').catch((e: unknown) => e)) as NslcmError;
    await stub.comeBack();
    expect(err.message).toMatch(/connection failed: ECONNREFUSED/);
    const everything = inspect(err, { depth: 10, showHidden: true });
    expect(everything).toContain('ECONNREFUSED');
    expect(everything).not.toContain('Pl4nted-MSB-s3cret');
    expect(everything).not.toContain(Buffer.from('msbadmin:Pl4nted-MSB-s3cret').toString('base64'));
  });

  it('when the grant is valid, then NSLCM answers 201 and the VIM and tenant are returned', async () => {
    const res = await client.grantVnf(grant());
    expect(res).toMatchObject({ vimId: 'CloudOwner_RegionOne', tenant: 'demo-tenant' });
    expect(stub.calls[0]).toMatchObject({ path: '/api/nslcm/v1/ns/grantvnf', status: 201 });
  });

  it('when NSLCM refuses the grant, then GrantRefusedError carries its reason and is not retried', async () => {
    stub.setGrantHandler(() => ({ status: 409, body: { error: 'no resources in region' } }));
    const err = await client.grantVnf(grant()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrantRefusedError);
    expect(err).toMatchObject({ reason: 'no resources in region', status: 409 });
    expect(stub.calls).toHaveLength(1);
  });

  it('when the grant answer has no vim, then an NslcmError names the call and full URL', async () => {
    stub.setGrantHandler(() => ({ status: 201, body: { vnfInstanceId: 'vnf-1' } }));
    const err = await client.grantVnf(grant()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NslcmError);
    expect(err).toMatchObject({ call: 'grantVnf', url: `${stub.url}/api/nslcm/v1/ns/grantvnf` });
  });

  it('when the VNFM record has no url, then the error says so without the password', async () => {
    stub.vnfms.set('bare', { vnfmId: 'bare', name: 'n', type: 't', vimId: 'o_r', password: 'topsecret' });
    const err = (await client.getVnfmInfo('bare').catch((e: unknown) => e)) as NslcmError;
    expect(err.message).toMatch(/lacks "url"/);
    expect(`${err.message} ${err.bodyExcerpt}`).not.toContain('topsecret');
  });

  it('when a Notify is valid, then NSLCM answers 201 and the call resolves', async () => {
    await client.notify('vnfm-esc-1', 'vnf-1', buildNotifyBody());
    expect(stub.acceptedNotifies()).toHaveLength(1);
    expect(stub.calls[0].path).toBe('/api/nslcm/v1/ns/vnfm-esc-1/vnfs/vnf-1/Notify');
  });

  it('when a Notify is invalid, then NSLCM answers 500 and the error says so', async () => {
    const body = buildNotifyBody({ status: 'result' });
    const err = (await client.notify('vnfm-esc-1', 'vnf-1', body, { noRetry: true }).catch((e: unknown) => e)) as NslcmError;
    expect(err.status).toBe(500);
    expect(err.bodyExcerpt).toMatch(/status/);
  });
});
