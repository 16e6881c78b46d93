import fs from 'node:fs';
import path from 'node:path';
import { LIFECYCLE_ROUTES, OPERATOR_ROUTES, ROOT_ROUTES, SERVICE_ROUTES } from '../../../src/api/route-table';
import { buildInstantiateBody, loadDemoPlan } from '../../../src/standalone/demo/demo-plan';
import { DEFAULT_STANDALONE_DIR } from '../../../src/standalone/standalone-config';
import { ResponseValidator } from '../../support/http-openapi';
import { validateOpenApi } from '../../support/http-openapi-check';
import {
  at,
  buildInstantiateRequest,
  getJson,
  postJson,
  startTestService,
  waitFor,
  type DriverAnswer,
  type TestService,
} from '../../support/http-service';
import { scriptedSouthbound } from '../../support/http-southbound';

describe('the OpenAPI document of the northbound API', () => {
  let svc: TestService;
  const validator = new ResponseValidator();
  beforeAll(async () => {
    svc = await startTestService(scriptedSouthbound([{ progress: 50, description: 'half way' }], 1));
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('when a document breaks the OpenAPI schema, then the check rejects it', async () => {
    await expect(validateOpenApi({ openapi: '3.0.3', paths: { '/x': { get: { responses: 'none' } } } })).rejects.toThrow(/invalid/);
  });

  it('when GET swagger.json is served, then it is a valid OpenAPI 3 document covering every route', async () => {
    const served = await getJson(`${svc.url}/api/ciscovnfmdriver/v1/swagger.json`);
    expect(served.status).toBe(200);
    const api = await validateOpenApi(served.body);
    expect(api.openapi).toMatch(/^3\./);
    const routes = [
      ...[...LIFECYCLE_ROUTES, ...OPERATOR_ROUTES, ...SERVICE_ROUTES].map((r) => ({ ...r, path: `/api/{vnfmtype}/v1${r.path}` })),
      ...ROOT_ROUTES,
    ];
    expect(routes.length).toBe(18);
    for (const route of routes) {
      const documented = api.paths[route.path];
      expect({ route, method: documented?.[route.method] ? route.method : 'missing' }).toEqual({ route, method: route.method });
    }
    expect(Object.values(api.paths).flatMap((p) => Object.keys(p)).length).toBe(routes.length);
  });

  it('when swagger.json is served, then its version is the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    const served = await getJson(`${svc.url}/api/ciscovnfmdriver/v1/swagger.json`);
    expect(at(served.body, 'info', 'version')).toBe(pkg.version);
  });

  it('when the instantiate example is read, then it is the body the demo sends for the bundled sample VNF', async () => {
    const served = await getJson(`${svc.url}/api/ciscovnfmdriver/v1/swagger.json`);
    const op = at(served.body, 'paths', '/api/{vnfmtype}/v1/{vnfmid}/vnfs', 'post');
    const plan = loadDemoPlan(path.join(DEFAULT_STANDALONE_DIR, 'demo.json'));
    expect(at(op, 'requestBody', 'content', 'application/json', 'example')).toEqual(buildInstantiateBody(plan));
    expect(at(served.body, 'components', 'parameters', 'vnfmid', 'example')).toBe(plan.vnfmId);
    expect(at(served.body, 'components', 'parameters', 'vnfmtype', 'example')).toBe('ciscovnfmdriver');
  });

  it('when GET /metrics is documented, then it is Prometheus text and the service answers it so', async () => {
    const served = await getJson(`${svc.url}/api/ciscovnfmdriver/v1/swagger.json`);
    const documented = Object.keys(at(served.body, 'paths', '/metrics', 'get', 'responses', '200', 'content') as object);
    const res = await fetch(`${svc.url}/metrics`);
    expect(res.status).toBe(200);
    expect(documented).toEqual([res.headers.get('content-type')]);
    expect(await res.text()).toMatch(/^# HELP /m);
  });

  it('when / and the API base are asked for, then both answer the index of links, which lead to answers', async () => {
    const root = await getJson(`${svc.url}/`);
    const base = await getJson(`${svc.url}/api/ciscovnfmdriver/v1`);
    expect(root.status).toBe(200);
    expect(base.body).toEqual(root.body);
    expect(validator.problems('GET', `${svc.url}/`, root.status, root.body)).toEqual([]);
    expect(validator.problems('GET', `${svc.url}/api/ciscovnfmdriver/v1`, base.status, base.body)).toEqual([]);
    const links = at(root.body, 'links') as Record<string, string>;
    expect(Object.keys(links).sort()).toEqual(['api', 'docs', 'health', 'metrics', 'openapi', 'ready']);
    for (const [name, link] of Object.entries(links)) {
      const res = await fetch(`${svc.url}${link}`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
    }
    expect((await getJson(`${svc.url}/api/othervnfmdriver/v1`)).status).toBe(404);
  });

  it('when every lifecycle route answers successfully, then each answer validates against the document', async () => {
    const seen: string[] = [];
    const check = async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<DriverAnswer> => {
      const answer = method === 'GET' ? await getJson(url) : await postJson(url, body);
      expect(answer.status).toBeLessThan(300);
      expect(validator.problems(method, url, answer.status, answer.body)).toEqual([]);
      seen.push(`${method} ${answer.status}`);
      return answer.body;
    };
    const untilDone = (jobId: string) =>
      waitFor(async () => (await getJson(`${svc.base}/jobs/${jobId}`)).body.responseDescriptor.status === 'finished');
    const created = await check('POST', `${svc.base}/vnfs`, buildInstantiateRequest());
    await check('GET', `${svc.base}/jobs/${created.jobId}?responseId=0`);
    await untilDone(created.jobId);
    await check('GET', `${svc.base}/jobs/${created.jobId}?responseId=1`);
    const vnf = `${svc.base}/vnfs/${created.vnfInstanceId}`;
    await check('GET', vnf);
    const ops: [string, unknown][] = [
      ['scale', { type: 'SCALE_OUT', aspectId: 'web', numberOfSteps: '2', additionalParam: { vnfdModel: "{'a': 1}" } }],
      ['heal', { action: 'vmReset', affectedvm: { vmid: 'vm-1', vduid: 'vdu-1', vmname: 'vm_1' } }],
      ['operate', { vnfInstanceId: created.vnfInstanceId, changeStateTo: 'STOPPED', stopType: 'GRACEFUL', gracefulStopTimeout: 10 }],
      ['terminate', { terminationType: 'graceful', gracefulTerminationTimeout: '60' }],
    ];
    for (const [op, body] of ops) {
      const accepted = await check('POST', `${vnf}/${op}`, body);
      await untilDone(accepted.jobId);
    }
    await check('GET', `${svc.url}/api/ciscovnfmdriver/v1/health`);
    expect(seen).toHaveLength(9);
  });
});
