import {
  buildInstantiateRequest,
  getJson,
  postJson,
  startTestService,
  type HttpAnswer,
  type TestService,
} from '../../support/http-service';
import { ResponseValidator } from '../../support/http-openapi';
import { scriptedSouthbound, untilAborted } from '../../support/http-southbound';

interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  /** Path below `/api/ciscovnfmdriver/v1/vnfm-1`; `{active}` and `{busy}` are replaced by VNF ids. Absolute when it starts with /api. */
  path: string;
  body?: unknown;
  status: number;
  field: string;
  /** false for a route the document cannot describe (any unknown path). */
  documented?: false;
}

const inst = (overrides: Record<string, unknown>): Record<string, unknown> => buildInstantiateRequest(overrides);
const without = (key: string): Record<string, unknown> => {
  const b = buildInstantiateRequest();
  delete b[key];
  return b;
};
const ap = (additionalParam: unknown): Record<string, unknown> => inst({ additionalParam });

const TABLE: BadRequest[] = [
  {
    name: 'instantiate without vnfInstanceName',
    method: 'POST',
    path: '/vnfs',
    body: without('vnfInstanceName'),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate with a numeric vnfInstanceName',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceName: 42 }),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate with an empty vnfInstanceName',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceName: '' }),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate with < > in the name',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceName: 'vFW<script>' }),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate with & in the name',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceName: 'a&b' }),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate with quotes in the name',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceName: `a"b'c` }),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate with a 300-character name',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceName: 'n'.repeat(300) }),
    status: 400,
    field: 'vnfInstanceName',
  },
  {
    name: 'instantiate without vnfPackageId',
    method: 'POST',
    path: '/vnfs',
    body: without('vnfPackageId'),
    status: 400,
    field: 'vnfPackageId',
  },
  {
    name: 'instantiate without vnfDescriptorId',
    method: 'POST',
    path: '/vnfs',
    body: without('vnfDescriptorId'),
    status: 400,
    field: 'vnfDescriptorId',
  },
  {
    name: 'instantiate with a numeric vnfDescriptorId',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfDescriptorId: 7 }),
    status: 400,
    field: 'vnfDescriptorId',
  },
  {
    name: 'instantiate with extVirtualLink not an array',
    method: 'POST',
    path: '/vnfs',
    body: inst({ extVirtualLink: 'vl-1' }),
    status: 400,
    field: 'extVirtualLink',
  },
  {
    name: 'instantiate with a link missing cpdId',
    method: 'POST',
    path: '/vnfs',
    body: inst({ extVirtualLink: [{ vlInstanceId: 'v', resourceId: 'r' }] }),
    status: 400,
    field: 'extVirtualLink.0.cpdId',
  },
  {
    name: 'instantiate with a vimId that is not JSON',
    method: 'POST',
    path: '/vnfs',
    body: ap({ inputs: {}, vimId: '{cloud_owner:' }),
    status: 400,
    field: 'additionalParam.vimId',
  },
  {
    name: 'instantiate with a vimId missing cloud_regionid',
    method: 'POST',
    path: '/vnfs',
    body: ap({ inputs: {}, vimId: { cloud_owner: 'o' } }),
    status: 400,
    field: 'additionalParam.vimId.cloud_regionid',
  },
  { name: 'instantiate with additionalParam a number', method: 'POST', path: '/vnfs', body: ap(5), status: 400, field: 'additionalParam' },
  { name: 'instantiate with a JSON array body', method: 'POST', path: '/vnfs', body: '[1,2]', status: 400, field: 'body' },
  { name: 'instantiate with malformed JSON', method: 'POST', path: '/vnfs', body: '{"vnfInstanceName": "x",', status: 400, field: 'body' },
  {
    name: 'instantiate with a 2 MiB body',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfInstanceDescription: 'x'.repeat(2 * 1024 * 1024) }),
    status: 413,
    field: 'body',
  },
  {
    name: 'instantiate with min_active -1',
    method: 'POST',
    path: '/vnfs',
    body: ap({ inputs: { 'vdu_a.min_active': -1 } }),
    status: 400,
    field: 'additionalParam.inputs.vdu_a.min_active',
  },
  {
    name: 'instantiate with bootup_time NaN',
    method: 'POST',
    path: '/vnfs',
    body: ap({ inputs: { vdu_a: { bootup_time: 'NaN' } } }),
    status: 400,
    field: 'additionalParam.inputs.vdu_a.bootup_time',
  },
  {
    name: 'instantiate with a healing owner that is neither esc nor onap',
    method: 'POST',
    path: '/vnfs',
    body: ap({ inputs: { healingOwner: 'policy' } }),
    status: 400,
    field: 'additionalParam.inputs.healingOwner',
  },
  {
    name: 'instantiate with min_active 1e309',
    method: 'POST',
    path: '/vnfs',
    body: JSON.stringify(ap({ inputs: { 'vdu_a.min_active': 7 } })).replace(':7', ':1e309'),
    status: 400,
    field: 'additionalParam.inputs.vdu_a.min_active',
  },
  {
    name: 'instantiate with a vnfPackageId of ..',
    method: 'POST',
    path: '/vnfs',
    body: inst({ vnfPackageId: '..' }),
    status: 400,
    field: 'vnfPackageId',
  },
  {
    name: 'instantiate with a body nested 2,500 levels',
    method: 'POST',
    path: '/vnfs',
    body: `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`,
    status: 400,
    field: 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a',
  },
  {
    name: 'instantiate with 50,000 empty links',
    method: 'POST',
    path: '/vnfs',
    body: inst({ extVirtualLink: Array.from({ length: 50_000 }, () => ({})) }),
    status: 413,
    field: 'extVirtualLink',
  },
  {
    name: 'instantiate under an unknown vnfm type',
    method: 'POST',
    path: '/api/hwvnfmdriver/v1/vnfm-1/vnfs',
    body: inst({}),
    status: 404,
    field: 'vnfmtype',
  },
  {
    name: 'terminate without terminationType',
    method: 'POST',
    path: '/vnfs/{active}/terminate',
    body: { gracefulTerminationTimeout: 60 },
    status: 400,
    field: 'terminationType',
  },
  {
    name: 'terminate with terminationType SOFT',
    method: 'POST',
    path: '/vnfs/{active}/terminate',
    body: { terminationType: 'SOFT' },
    status: 400,
    field: 'terminationType',
  },
  {
    name: 'terminate with a non-numeric timeout',
    method: 'POST',
    path: '/vnfs/{active}/terminate',
    body: { terminationType: 'graceful', gracefulTerminationTimeout: 'abc' },
    status: 400,
    field: 'gracefulTerminationTimeout',
  },
  {
    name: 'terminate with a negative timeout',
    method: 'POST',
    path: '/vnfs/{active}/terminate',
    body: { terminationType: 'FORCEFUL', gracefulTerminationTimeout: -5 },
    status: 400,
    field: 'gracefulTerminationTimeout',
  },
  {
    name: 'terminate an unknown VNF',
    method: 'POST',
    path: '/vnfs/no-such-vnf/terminate',
    body: { terminationType: 'FORCEFUL' },
    status: 404,
    field: 'vnfInstanceId',
  },
  {
    name: 'terminate a VNF with an operation running',
    method: 'POST',
    path: '/vnfs/{busy}/terminate',
    body: { terminationType: 'FORCEFUL' },
    status: 409,
    field: 'vnfInstanceId',
  },
  {
    name: 'scale with type SCALE_UP',
    method: 'POST',
    path: '/vnfs/{active}/scale',
    body: { type: 'SCALE_UP', aspectId: 'a', numberOfSteps: 1 },
    status: 400,
    field: 'type',
  },
  {
    name: 'scale with numberOfSteps 1.5',
    method: 'POST',
    path: '/vnfs/{active}/scale',
    body: { type: 'SCALE_OUT', aspectId: 'a', numberOfSteps: '1.5' },
    status: 400,
    field: 'numberOfSteps',
  },
  {
    name: 'scale with numberOfSteps 0',
    method: 'POST',
    path: '/vnfs/{active}/scale',
    body: { type: 'SCALE_OUT', aspectId: 'a', numberOfSteps: 0 },
    status: 400,
    field: 'numberOfSteps',
  },
  {
    name: 'scale without aspectId',
    method: 'POST',
    path: '/vnfs/{active}/scale',
    body: { type: 'SCALE_IN', numberOfSteps: 1 },
    status: 400,
    field: 'aspectId',
  },
  {
    name: 'scale with < in aspectId',
    method: 'POST',
    path: '/vnfs/{active}/scale',
    body: { type: 'SCALE_IN', aspectId: '<a/>', numberOfSteps: 1 },
    status: 400,
    field: 'aspectId',
  },
  {
    name: 'scale a VNF with an operation running',
    method: 'POST',
    path: '/vnfs/{busy}/scale',
    body: { type: 'SCALE_OUT', aspectId: 'a', numberOfSteps: 1 },
    status: 409,
    field: 'vnfInstanceId',
  },
  {
    name: 'heal with action reboot',
    method: 'POST',
    path: '/vnfs/{active}/heal',
    body: { action: 'reboot', affectedvm: { vmid: 'vm-1' } },
    status: 400,
    field: 'action',
  },
  {
    name: 'heal without affectedvm',
    method: 'POST',
    path: '/vnfs/{active}/heal',
    body: { action: 'vmReset' },
    status: 400,
    field: 'affectedvm',
  },
  {
    name: 'heal with an empty affectedvm',
    method: 'POST',
    path: '/vnfs/{active}/heal',
    body: { action: 'vmReset', affectedvm: {} },
    status: 400,
    field: 'affectedvm',
  },
  {
    name: 'heal with & in vmname',
    method: 'POST',
    path: '/vnfs/{active}/heal',
    body: { action: 'vmReset', affectedvm: { vmname: 'vm&1' } },
    status: 400,
    field: 'affectedvm.vmname',
  },
  {
    name: 'operate with changeStateTo PAUSED',
    method: 'POST',
    path: '/vnfs/{active}/operate',
    body: { changeStateTo: 'PAUSED' },
    status: 400,
    field: 'changeStateTo',
  },
  {
    name: 'operate with stopType NOW',
    method: 'POST',
    path: '/vnfs/{active}/operate',
    body: { changeStateTo: 'STOPPED', stopType: 'NOW' },
    status: 400,
    field: 'stopType',
  },
  {
    name: 'operate with a non-numeric gracefulStopTimeout',
    method: 'POST',
    path: '/vnfs/{active}/operate',
    body: { changeStateTo: 'STOPPED', gracefulStopTimeout: 'x' },
    status: 400,
    field: 'gracefulStopTimeout',
  },
  { name: 'query an unknown VNF', method: 'GET', path: '/vnfs/no-such-vnf', status: 404, field: 'vnfInstanceId' },
  { name: 'poll an unknown job', method: 'GET', path: '/jobs/no-such-job?responseId=0', status: 404, field: 'jobId' },
  { name: 'poll with a non-numeric responseId', method: 'GET', path: '/jobs/no-such-job?responseId=abc', status: 400, field: 'responseId' },
  { name: 'health under an unknown vnfm type', method: 'GET', path: '/api/zte/v1/health', status: 404, field: 'vnfmtype' },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/api/ciscovnfmdriver/v1/vnfm-1/nothing/here',
    status: 404,
    field: 'path',
    documented: false,
  },
];

describe('bad requests', () => {
  let svc: TestService;
  const ids: Record<string, string> = {};
  const validator = new ResponseValidator();

  beforeAll(async () => {
    const busy = (ctx: { signal: AbortSignal }) => untilAborted(ctx.signal);
    svc = await startTestService(scriptedSouthbound([], 1, { scale: busy }));
    for (const key of ['active', 'busy']) {
      const created = await postJson(`${svc.base}/vnfs`, buildInstantiateRequest());
      ids[key] = created.body.vnfInstanceId;
    }
    await new Promise((r) => setTimeout(r, 50));
    const running = await postJson(`${svc.base}/vnfs/${ids.busy}/scale`, { type: 'scale_out', aspectId: 'a', numberOfSteps: '1' });
    expect(running.status).toBe(201);
  });
  afterAll(async () => {
    await svc.stop();
  });

  it(`when the table holds at least 30 bad requests, then it is long enough (${TABLE.length})`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(TABLE)('when $name, then $status naming $field', async (row) => {
    const rel = row.path.replace('{active}', ids.active).replace('{busy}', ids.busy);
    const url = rel.startsWith('/api/') ? `${svc.url}${rel}` : `${svc.base}${rel}`;
    const answer: HttpAnswer = row.method === 'GET' ? await getJson(url) : await postJson(url, row.body);
    expect(answer.status).toBe(row.status);
    expect(typeof answer.body.error).toBe('string');
    expect(answer.body.details.map((d: { field: string }) => d.field)).toContain(row.field);
    expect(`${answer.body.error} ${JSON.stringify(answer.body.details)}`).toContain(row.field.split('.').pop());
    if (row.documented !== false) expect(validator.problems(row.method, url, answer.status, answer.body)).toEqual([]);
    else expect(Object.keys(answer.body).sort()).toEqual(['details', 'error']);
  });

  it('when all bad requests were answered, then the service is still up and healthy', async () => {
    const health = await getJson(`${svc.url}/api/ciscovnfmdriver/v1/health`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'active' });
  });
});
