import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import { NslcmClient } from '../../../src/nslcm/nslcm-client';
import { runTraced } from '../../../src/tracing/trace-context';
import { postJson } from '../../support/http-service';
import type { RecordedCall } from '../../support/nslcm-stub';
import { awaitNotify, buildFwLbInstantiate, pollLikeNslcm, startEscRig, type EscRig } from './esc-service-harness';

/** The JSON lines a real service logger wrote, parsed. */
function jsonLines(): { lines: Array<Record<string, unknown>>; stream: PassThrough } {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  stream.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
  });
  return { lines, stream };
}

const header = (call: RecordedCall, name: string): unknown => call.headers[name.toLowerCase()];

describe('ONAP tracing through the service: the northbound request id travels with the job', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when NSLCM instantiates and terminates with its request ids, then every call of each job carries its id, a fresh invocation id and our name, and every log line of the job its ids', async () => {
    const { lines, stream } = jsonLines();
    rig = await startEscRig({ log: createLogger({ level: 'debug', stream }) });
    const { base, stub } = rig;
    // The first grant fails once: the retry warning must say which job it is about.
    stub.failNext('/api/nslcm/v1/ns/grantvnf', 503, 1);

    const created = await postJson(`${base}/vnfs`, buildFwLbInstantiate(), {
      'X-ONAP-RequestID': 'nslcm-req-inst-1',
      'X-InvocationID': 'nslcm-inv-7',
      'X-ONAP-PartnerName': 'NSLCM',
    });
    expect(created.status).toBe(201);
    const { jobId, vnfInstanceId } = created.body as { jobId: string; vnfInstanceId: string };
    expect((await pollLikeNslcm(`${base}/jobs/${jobId}`)).last.status).toBe('finished');
    await awaitNotify(stub, jobId, 'RESULT');
    const instantiateCalls = [...stub.calls];

    const ended = await postJson(
      `${base}/vnfs/${vnfInstanceId}/terminate`,
      { terminationType: 'graceful' },
      { 'X-TransactionID': 'nslcm-tx-term-2' },
    );
    const terminateJob = ended.body.jobId;
    expect((await pollLikeNslcm(`${base}/jobs/${terminateJob}`)).last.status).toBe('finished');
    await awaitNotify(stub, terminateJob, 'RESULT');
    const terminateCalls = stub.calls.slice(instantiateCalls.length);

    const kinds = (calls: RecordedCall[]): string[] =>
      [
        ...new Set(
          calls.map((c) =>
            c.path.includes('/grantvnf')
              ? 'grant'
              : c.path.includes('/catalog/')
                ? 'catalog'
                : c.path.includes('/vnfms/')
                  ? 'vnfm'
                  : c.path.includes('/vims/')
                    ? 'vim'
                    : c.path.endsWith('/Notify')
                      ? 'Notify'
                      : c.path,
          ),
        ),
      ].sort();
    expect(kinds(instantiateCalls)).toEqual(['Notify', 'catalog', 'grant', 'vnfm']);
    expect(kinds(terminateCalls)).toEqual(expect.arrayContaining(['Notify', 'grant']));
    for (const [calls, requestId] of [
      [instantiateCalls, 'nslcm-req-inst-1'],
      [terminateCalls, 'nslcm-tx-term-2'],
    ] as const) {
      for (const call of calls) {
        expect({ path: call.path, requestId: header(call, 'X-ONAP-RequestID'), partner: header(call, 'X-ONAP-PartnerName') }).toEqual({
          path: call.path,
          requestId,
          partner: 'ciscovnfmdriver',
        });
      }
    }
    const invocations = stub.calls.map((c) => header(c, 'X-InvocationID'));
    expect(invocations.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(new Set(invocations).size).toBe(stub.calls.length);

    const retry = lines.find((l) => l.message === 'NSLCM call failed, retrying');
    expect(retry).toMatchObject({ jobId, vnfInstanceId, requestId: 'nslcm-req-inst-1' });
    const jobLines = lines.filter((l) => l.jobId === jobId);
    expect(jobLines.length).toBeGreaterThan(5);
    for (const l of jobLines) expect(l).toMatchObject({ vnfInstanceId, vnfmId: 'vnfm-esc-1' });
    // The ESC is known once the job has looked up its VNFM; from then on every line of the job names it.
    const escHost = `${rig.sim.host}:${rig.sim.port}`;
    const located = jobLines.findIndex((l) => l.escHost !== undefined);
    expect(located).toBeGreaterThanOrEqual(0);
    const afterLocated = jobLines.slice(located).filter((l) => l.component !== 'notify-outbox');
    expect(afterLocated.map((l) => l.message)).toEqual(expect.arrayContaining(['job progress', 'job finished']));
    for (const l of afterLocated) expect({ message: l.message, escHost: l.escHost }).toEqual({ message: l.message, escHost });
    expect(jobLines.filter((l) => l.message === 'Notify delivered')).toHaveLength(2);
    const requestLine = lines.find((l) => l.message === 'request' && l.method === 'POST' && l.requestId === 'nslcm-req-inst-1');
    expect(requestLine).toMatchObject({ callerInvocationId: 'nslcm-inv-7', partnerName: 'NSLCM', status: 201 });
  }, 60_000);

  it("when a VIM is read inside a job's trace, then the call carries the job's request id", async () => {
    rig = await startEscRig();
    const client = new NslcmClient({ baseUrl: rig.stub.url, partnerName: 'ciscovnfmdriver', timeoutMs: 2_000 });

    await runTraced({ requestId: 'req-vim-1', fields: {} }, () => client.getVimInfo('CloudOwner', 'RegionOne'));
    await client.getVimInfo('CloudOwner', 'RegionOne');

    const [inTrace, outside] = rig.stub.callsTo(/\/vims\//);
    expect(header(inTrace, 'X-ONAP-RequestID')).toBe('req-vim-1');
    expect(header(outside, 'X-ONAP-RequestID')).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(outside, 'X-InvocationID')).not.toBe(header(inTrace, 'X-InvocationID'));
  }, 30_000);
});
