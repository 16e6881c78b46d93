import { buildInstantiateRequest, getJson, postJson, startTestService, type TestService } from '../../support/http-service';
import { scriptedSouthbound } from '../../support/http-southbound';
import { rawRequest } from '../../support/raw-http';

/** One hostile body: its JSON text as sent (so that duplicate keys and 1e309 survive). */
interface HostileBody {
  name: string;
  text: string;
}

const nested = (levels: number, leaf = '1'): string => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
const nestedArrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const instantiateText = (overrides: Record<string, unknown>): string => JSON.stringify(buildInstantiateRequest(overrides));
/** An instantiate body with `raw` JSON text spliced in as the value of `key`. */
const instantiateWithRaw = (key: string, raw: string): string => instantiateText({ [key]: '@@RAW@@' }).replace('"@@RAW@@"', raw);

const BODIES: HostileBody[] = [
  { name: 'an object nested 2,500 levels', text: nested(2500) },
  { name: 'inputs nested 2,500 levels', text: instantiateWithRaw('additionalParam', `{"inputs":${nested(2500)}}`) },
  { name: 'arrays nested 100,000 levels', text: nestedArrays(100_000) },
  { name: 'inputs as a JSON string nested 2,500 levels', text: instantiateText({ additionalParam: { inputs: nested(2500) } }) },
  { name: 'extVirtualLink of 50,000 empty items', text: instantiateText({ extVirtualLink: Array.from({ length: 50_000 }, () => ({})) }) },
  { name: 'an array of 200,000 numbers', text: `{"extCps":[${Array.from({ length: 200_000 }, () => '0').join(',')}]}` },
  {
    name: 'an array of 1,000 invalid links (at the limit)',
    text: instantiateText({ extVirtualLink: Array.from({ length: 1000 }, () => ({ cpdId: 5 })) }),
  },
  { name: 'a 900 KB name', text: instantiateText({ vnfInstanceName: 'n'.repeat(900_000) }) },
  { name: 'a 900 KB inputs key', text: instantiateText({ additionalParam: { inputs: { ['k'.repeat(900_000)]: 'v' } } }) },
  {
    name: 'a 900 KB aspectId and vmid',
    text: JSON.stringify({
      type: 'SCALE_OUT',
      aspectId: 'a'.repeat(450_000),
      numberOfSteps: 1,
      action: 'vmReset',
      affectedvm: { vmid: 'v'.repeat(450_000) },
    }),
  },
  {
    name: 'NUL and control characters in names and ids',
    text: instantiateText({ vnfInstanceName: 'a\u0000b\u0007', vnfPackageId: 'p\u0000', vnfDescriptorId: '\u001b[31m' }),
  },
  {
    name: 'unicode oddities (RTL override, emoji, lone surrogate)',
    text: instantiateText({ vnfInstanceName: '\u202egnp.exe 😀 \ud800', vnfPackageId: 'ü', vnfDescriptorId: '\ufeff' }),
  },
  { name: 'a __proto__ key', text: instantiateWithRaw('additionalParam', '{"__proto__":{"polluted":true},"inputs":{}}') },
  {
    name: 'a nested __proto__ key in inputs',
    text: instantiateWithRaw('additionalParam', '{"inputs":{"vdu":{"__proto__":{"polluted":true}}}}'),
  },
  {
    name: 'constructor and prototype keys',
    text: instantiateWithRaw(
      'additionalParam',
      '{"inputs":{"constructor":{"prototype":{"polluted":true}}},"constructor":{"prototype":{"polluted":true}}}',
    ),
  },
  { name: 'a top-level __proto__ key', text: '{"__proto__":{"polluted":true},"terminationType":"FORCEFUL"}' },
  {
    name: 'duplicate keys',
    text: '{"vnfInstanceName":"a","vnfInstanceName":"b&","terminationType":"FORCEFUL","terminationType":"SOFT","type":"SCALE_OUT","type":1}',
  },
  {
    name: '1e309 numbers',
    text: '{"numberOfSteps":1e309,"gracefulTerminationTimeout":1e309,"gracefulStopTimeout":-1e309,"type":"SCALE_OUT","aspectId":"a","terminationType":"GRACEFUL","changeStateTo":"STOPPED"}',
  },
  { name: '1e309 in inputs', text: instantiateWithRaw('additionalParam', '{"inputs":{"vdu_a.min_active":1e309}}') },
  {
    name: 'bad inputs values',
    text: instantiateText({
      additionalParam: {
        inputs: { 'vdu_a.min_active': -1, 'vdu_a.bootup_time': 'NaN', esc_tenant: { x: 1 }, vdu_b: { max_active: 1.5, image: '' } },
      },
    }),
  },
  { name: 'a JSON array', text: '[1,2,3]' },
  { name: 'a JSON string', text: '"just a string"' },
  { name: 'null', text: 'null' },
  { name: 'malformed JSON', text: '{"a":' },
  { name: 'an empty body', text: '' },
];

/** Lifecycle and service routes, `{vnf}` and `{job}` replaced by a VNF and a job that exist. */
const ROUTES: { method: 'GET' | 'POST'; path: string }[] = [
  { method: 'POST', path: '/vnfm-1/vnfs' },
  { method: 'POST', path: '/vnfm-1/vnfs/{vnf}/terminate' },
  { method: 'POST', path: '/vnfm-1/vnfs/{vnf}/scale' },
  { method: 'POST', path: '/vnfm-1/vnfs/{vnf}/heal' },
  { method: 'POST', path: '/vnfm-1/vnfs/{vnf}/operate' },
  { method: 'GET', path: '/vnfm-1/vnfs/{vnf}' },
  { method: 'GET', path: '/vnfm-1/jobs/{job}?responseId=0' },
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/swagger.json' },
  { method: 'GET', path: '/docs' },
];

/** Hostile identifiers in the path, each answered 400 naming the identifier (or 404 where Express finds no route). */
const HOSTILE_IDS = ['%2e%2e', '.', '..%2F..', '%00', 'a%0Ab', 'x'.repeat(300), '%2e', 'a%2Fb', '%E2%80%AE', 'a%20b'];

interface Outcome {
  label: string;
  status: number;
  ms: number;
  body: unknown;
}

describe('hostile requests on every route', () => {
  let svc: TestService;
  let vnf: string;
  let job: string;
  const outcomes: Outcome[] = [];

  /** Sends with node:http, which (unlike fetch) neither resolves dot segments nor refuses a GET with a body. */
  const send = async (label: string, method: 'GET' | 'POST', path: string, text?: string): Promise<Outcome> => {
    const started = process.hrtime.bigint();
    const res = await rawRequest(svc.port, method, `/api/ciscovnfmdriver/v1${path}`, { body: text, agent: false });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    let body: unknown = res.body;
    try {
      body = JSON.parse(res.body);
    } catch {
      // HTML of the docs page
    }
    const outcome = { label, status: res.status, ms, body };
    outcomes.push(outcome);
    return outcome;
  };

  beforeAll(async () => {
    svc = await startTestService(scriptedSouthbound([], 1));
    const created = await postJson(`${svc.base}/vnfs`, buildInstantiateRequest());
    expect(created.status).toBe(201);
    vnf = created.body.vnfInstanceId;
    job = created.body.jobId;
  });
  afterAll(async () => {
    await svc.stop();
    if (process.env.HOSTILE_SUMMARY) {
      const byStatus: Record<number, number> = {};
      for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
      const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
      console.log(JSON.stringify({ requests: outcomes.length, maxMs: Math.round(slowest.ms), slowest: slowest.label, byStatus }));
    }
  });

  for (const body of BODIES) {
    it(`when ${body.name} is sent to every route, then no answer is a 5xx and each comes within 1 s`, async () => {
      for (const route of ROUTES) {
        const path = route.path.replace('{vnf}', vnf).replace('{job}', job);
        const o = await send(`${body.name} → ${route.method} ${route.path}`, route.method, path, body.text);
        expect([o.label, o.status < 500 ? 'below 500' : o.status]).toEqual([o.label, 'below 500']);
        expect(o.ms).toBeLessThan(1000);
        if (o.status >= 400) expect(o.body).toEqual({ error: expect.any(String) as unknown, details: expect.any(Array) as unknown });
      }
    });
  }

  it('when the bodies nest deeper or list longer than the limits, then the answer names the limit', async () => {
    const deep = await send('deep', 'POST', '/vnfm-1/vnfs', nested(2500));
    expect([deep.status, JSON.stringify(deep.body)]).toEqual([400, expect.stringContaining('JSON_MAX_DEPTH')]);
    const long = await send(
      'long',
      'POST',
      '/vnfm-1/vnfs',
      instantiateText({ extVirtualLink: Array.from({ length: 50_000 }, () => ({})) }),
    );
    expect([long.status, JSON.stringify(long.body)]).toEqual([413, expect.stringContaining('JSON_MAX_ARRAY_LENGTH')]);
    const inString = await send('string', 'POST', '/vnfm-1/vnfs', instantiateText({ additionalParam: { inputs: nested(2500) } }));
    expect([inString.status, JSON.stringify(inString.body)]).toEqual([400, expect.stringContaining('additionalParam.inputs')]);
  });

  it('when an identifier in the path is hostile, then every route answers 400 naming it or 404, within 1 s', async () => {
    const templates = [
      { path: '/{id}/vnfs', method: 'POST' as const, field: 'vnfmid', body: JSON.stringify(buildInstantiateRequest()) },
      { path: '/vnfm-1/vnfs/{id}/terminate', method: 'POST' as const, field: 'vnfInstanceId', body: '{"terminationType":"FORCEFUL"}' },
      { path: '/vnfm-1/vnfs/{id}', method: 'GET' as const, field: 'vnfInstanceId' },
      { path: '/vnfm-1/jobs/{id}?responseId=0', method: 'GET' as const, field: 'jobId' },
      { path: '/{id}/jobs/{job}?responseId=0', method: 'GET' as const, field: 'vnfmid' },
    ];
    for (const t of templates) {
      for (const id of HOSTILE_IDS) {
        const path = t.path.replace('{id}', id).replace('{job}', job);
        const o = await send(`${t.method} ${t.path} with ${id.slice(0, 20)}`, t.method, path, t.body);
        expect(o.ms).toBeLessThan(1000);
        expect([o.label, [400, 404].includes(o.status) ? '400 or 404' : o.status]).toEqual([o.label, '400 or 404']);
        if (o.status === 400) expect(JSON.stringify(o.body)).toContain(t.field);
      }
    }
  });

  it('when all hostile requests were answered, then nothing reached Object.prototype and the service is healthy', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const health = await getJson(`${svc.url}/api/ciscovnfmdriver/v1/health`);
    expect([health.status, health.body]).toEqual([200, { status: 'active' }]);
    const poll = await getJson(`${svc.base}/jobs/${job}?responseId=0`);
    expect(poll.status).toBe(200);
    expect(outcomes.length).toBeGreaterThanOrEqual(BODIES.length * ROUTES.length + 50);
  });
});
