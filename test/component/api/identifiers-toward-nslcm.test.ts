import { rawRequest } from '../../support/raw-http';
import { buildFwLbInstantiate, runOperation, startEscRig, VNFM_ID, type EscRig } from '../lifecycle/esc-service-harness';

describe('identifiers on their way to NSLCM', () => {
  let rig: EscRig;
  beforeAll(async () => {
    rig = await startEscRig();
  });
  afterAll(async () => {
    await rig.stop();
  });

  /** POSTs with node:http, which sends the path as written (fetch would resolve the dot segments first). */
  const post = async (path: string, body: unknown) => {
    const res = await rawRequest(rig.svc.port, 'POST', path, { body: JSON.stringify(body), agent: false });
    return { status: res.status, body: JSON.parse(res.body) as { error: string; details: { field: string }[] } };
  };

  it.each([
    ['a vnfmid of %2e%2e', '/api/ciscovnfmdriver/v1/%2e%2e/vnfs', {}, 'vnfmid'],
    ['a vnfmid of .', '/api/ciscovnfmdriver/v1/./vnfs', {}, 'vnfmid'],
    ['a vnfPackageId of ..', `/api/ciscovnfmdriver/v1/${VNFM_ID}/vnfs`, { vnfPackageId: '..' }, 'vnfPackageId'],
    ['a vnfPackageId with a slash', `/api/ciscovnfmdriver/v1/${VNFM_ID}/vnfs`, { vnfPackageId: '../../nslcm/v1' }, 'vnfPackageId'],
    ['a vnfDescriptorId of .', `/api/ciscovnfmdriver/v1/${VNFM_ID}/vnfs`, { vnfDescriptorId: '.' }, 'vnfDescriptorId'],
  ])('when an instantiate names %s, then 400 naming the field and NSLCM is never called', async (_name, path, overrides, field) => {
    const before = rig.stub.calls.length;
    const answer = await post(path, buildFwLbInstantiate(overrides));
    expect(answer.status).toBe(400);
    expect(answer.body.details.map((d) => d.field)).toContain(field);
    await new Promise((r) => setTimeout(r, 200));
    expect(rig.stub.calls.slice(before)).toEqual([]);
  });

  it('when a job is polled under another vnfmid, then 404, and under its own it is answered', async () => {
    const done = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    const other = `/api/ciscovnfmdriver/v1/vnfm-someone-else/jobs/${done.jobId}`;
    for (const query of ['?responseId=0', '', '?responseId=0&x=1']) {
      expect((await rawRequest(rig.svc.port, 'GET', `${other}${query}`, { agent: false })).status).toBe(404);
      expect(
        (await rawRequest(rig.svc.port, 'GET', `/api/ciscovnfmdriver/v1/${VNFM_ID}/jobs/${done.jobId}${query}`, { agent: false })).status,
      ).toBe(200);
    }
    const vnfElsewhere = await rawRequest(rig.svc.port, 'GET', `/api/ciscovnfmdriver/v1/vnfm-someone-else/vnfs/${done.vnfInstanceId}`, {
      agent: false,
    });
    expect(vnfElsewhere.status).toBe(404);
  });
});
