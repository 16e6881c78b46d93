import { buildInstantiateRequest, getJson, postJson, startTestService, type TestService } from '../../support/http-service';
import { scriptedSouthbound, type ScriptStep } from '../../support/http-southbound';

interface Seen {
  responseId: string;
  status: string;
  progress: number | string;
  statusDescription: string;
}

/**
 * Plays NSLCM's wait loop as docs/nslcm-contract.md §4 "Job polling" describes: start at responseId 0, send back the responseId
 * received, ignore an answer whose responseId equals the one sent, record the reversed history then the
 * descriptor, and stop only on lowercase finished/error.
 */
async function pollLikeNslcm(jobUrl: string, intervalMs: number, maxPolls: number): Promise<{ seen: Seen[]; last: Seen; ignored: number }> {
  let responseId = '0';
  const seen: Seen[] = [];
  let ignored = 0;
  for (let i = 0; i < maxPolls; i++) {
    const { status, body } = await getJson(`${jobUrl}?responseId=${responseId}`);
    expect(status).toBe(200);
    const d = body.responseDescriptor;
    if (d.responseId === responseId) {
      ignored++;
    } else {
      for (const h of [...d.responseHistoryList].reverse()) if (!seen.some((s) => s.responseId === h.responseId)) seen.push(h);
      if (!seen.some((s) => s.responseId === d.responseId)) seen.push(d);
      responseId = d.responseId;
      if (d.status === 'finished' || d.status === 'error') return { seen, last: d, ignored };
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`job did not end within ${maxPolls} polls`);
}

const FIVE_STEPS: ScriptStep[] = [10, 30, 50, 70, 90].map((p, i) => ({ progress: p, description: `step ${i + 1} of 5` }));

describe('NSLCM poll loop against a scripted southbound', () => {
  let svc: TestService | undefined;
  afterEach(async () => {
    await svc?.stop();
    svc = undefined;
  });

  it('when the southbound reports 5 progress steps and succeeds, then NSLCM sees each step once, in order, and stops on finished', async () => {
    svc = await startTestService(scriptedSouthbound(FIVE_STEPS, 40));
    const created = await postJson(`${svc.base}/vnfs`, buildInstantiateRequest());
    expect(created.status).toBe(201);
    const { seen, last, ignored } = await pollLikeNslcm(`${svc.base}/jobs/${created.body.jobId}`, 15, 400);

    expect(last.status).toBe('finished');
    expect(last.progress).toBe(100);
    const steps = seen.filter((s) => s.status === 'processing');
    expect(steps.map((s) => s.statusDescription)).toEqual(FIVE_STEPS.map((s) => ('description' in s ? s.description : '')));
    expect(steps.map((s) => s.progress)).toEqual([10, 30, 50, 70, 90]);
    const ids = seen.map((s) => Number(s.responseId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBeGreaterThan(0);
    expect(ignored).toBeGreaterThan(0);
    const vnf = await getJson(`${svc.base}/vnfs/${created.body.vnfInstanceId}`);
    expect(vnf.body.vnfInfo.vnfStatus).toBe('ACTIVE');
  });

  it('when the southbound fails after two steps, then NSLCM stops on error with progress 255 and the failure text', async () => {
    const steps: ScriptStep[] = [...FIVE_STEPS.slice(0, 2), { fail: 'ESC rejected deployment dep-1: VM_DEPLOYED timed out' }];
    svc = await startTestService(scriptedSouthbound(steps, 30));
    const created = await postJson(`${svc.base}/vnfs`, buildInstantiateRequest());
    const { seen, last } = await pollLikeNslcm(`${svc.base}/jobs/${created.body.jobId}`, 15, 400);

    expect(last.status).toBe('error');
    expect(last.progress).toBe(255);
    expect(last.statusDescription).toContain('ESC rejected deployment dep-1: VM_DEPLOYED timed out');
    expect(seen.filter((s) => s.status === 'processing').map((s) => s.progress)).toEqual([10, 30]);
  });

  it('when a poll sends the latest responseId, then the answer repeats the latest descriptor with an empty history', async () => {
    svc = await startTestService(scriptedSouthbound(FIVE_STEPS.slice(0, 1), 1));
    const created = await postJson(`${svc.base}/vnfs`, buildInstantiateRequest());
    const jobUrl = `${svc.base}/jobs/${created.body.jobId}`;
    await pollLikeNslcm(jobUrl, 5, 400);
    const again = await getJson(`${jobUrl}?responseId=3`);
    expect(again.body.responseDescriptor).toMatchObject({ status: 'finished', responseId: '3', responseHistoryList: [] });
  });
});
