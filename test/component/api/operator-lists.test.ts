import { ResponseValidator } from '../../support/http-openapi';
import {
  buildInstantiateRequest,
  getJson,
  postJson,
  startTestService,
  waitFor,
  type HttpAnswer,
  type TestService,
} from '../../support/http-service';
import { scriptedSouthbound } from '../../support/http-southbound';

describe('the operator listings GET …/{vnfmid}/vnfs and …/{vnfmid}/jobs', () => {
  let svc: TestService;
  const validator = new ResponseValidator();
  const jobs: string[] = [];
  const vnfs: string[] = [];

  beforeAll(async () => {
    svc = await startTestService(scriptedSouthbound([{ progress: 50, description: 'half way' }], 1));
    for (let i = 0; i < 3; i++) {
      const created = (await postJson(`${svc.base}/vnfs`, buildInstantiateRequest({ vnfInstanceName: `vnf-${i}` }))).body;
      jobs.push(created.jobId);
      vnfs.push(created.vnfInstanceId);
      await waitFor(async () => (await getJson(`${svc.base}/jobs/${created.jobId}`)).body.responseDescriptor.status === 'finished');
    }
    const other = `${svc.url}/api/ciscovnfmdriver/v1/vnfm-2`;
    await postJson(`${other}/vnfs`, buildInstantiateRequest());
    const terminated = (await postJson(`${svc.base}/vnfs/${vnfs[0]}/terminate`, { terminationType: 'graceful' })).body;
    jobs.push(terminated.jobId);
    await waitFor(async () => (await getJson(`${svc.base}/jobs/${terminated.jobId}`)).body.responseDescriptor.status === 'finished');
  });

  afterAll(async () => {
    await svc.stop();
  });

  async function list(path: string): Promise<HttpAnswer> {
    const url = `${svc.base}${path}`;
    const answer = await getJson(url);
    expect(validator.problems('GET', url, answer.status, answer.body)).toEqual([]);
    return answer;
  }

  it("when the jobs are listed, then they are the VNFM's own, newest first, as the OpenAPI document describes them", async () => {
    const answer = await list('/jobs');

    expect(answer.status).toBe(200);
    expect(answer.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([...jobs].reverse());
    expect(answer.body.jobs[0]).toMatchObject({
      operation: 'terminate',
      vnfInstanceId: vnfs[0],
      vnfmId: 'vnfm-1',
      status: 'finished',
      progress: 100,
    });
    expect(answer.body.nextCursor).toBeUndefined();
  });

  it('when filtered and paged, then every page holds the matching jobs in order until there is no next cursor', async () => {
    const first = await list('/jobs?operation=instantiate&status=finished&limit=2');
    const second = await list(`/jobs?operation=instantiate&status=finished&limit=2&cursor=${first.body.nextCursor}`);

    expect(first.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobs[2], jobs[1]]);
    expect(second.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobs[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await list('/jobs?operation=heal,scale')).body.jobs).toEqual([]);
  });

  it("when the VNFs are listed, then they are the VNFM's own, newest first, filterable by status", async () => {
    const all = await list('/vnfs');
    const terminated = await list('/vnfs?status=TERMINATED');

    expect(all.body.vnfs.map((v: { vnfInstanceId: string }) => v.vnfInstanceId)).toEqual([...vnfs].reverse());
    expect(all.body.vnfs[0]).toMatchObject({ vnfInstanceName: 'vnf-2', status: 'ACTIVE', vnfmId: 'vnfm-1' });
    expect(all.body.vnfs[0].attributes).toBeUndefined();
    expect(terminated.body.vnfs.map((v: { vnfInstanceId: string }) => v.vnfInstanceId)).toEqual([vnfs[0]]);
  });

  it.each([
    ['/jobs?status=done', 'status'],
    ['/jobs?operation=reboot', 'operation'],
    ['/jobs?limit=0', 'limit'],
    ['/vnfs?limit=501', 'limit'],
    ['/vnfs?status=ACTIVE&status=FAILED', 'status'],
    ['/jobs?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['/vnfs?status=finished', 'status'],
  ])('when asked %s, then the answer is 400 naming %s', async (path, field) => {
    const answer = await list(path);

    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([expect.objectContaining({ field })]);
  });
});
