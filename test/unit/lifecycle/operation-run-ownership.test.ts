import { EscAbortedError } from '../../../src/esc/esc-errors';
import { DEFAULT_ESC_RUNTIME_SETTINGS } from '../../../src/esc/esc-runtime-settings';
import type { EscEventView } from '../../../src/esc/esc-event-view';
import { JobDeadlineError, OwnershipLost, ShutdownAbort } from '../../../src/lifecycle/lifecycle-errors';
import { OperationRun } from '../../../src/lifecycle/operation-run';
import type { EscSessionPort } from '../../../src/lifecycle/ports';
import type { OperationContext } from '../../../src/lifecycle/southbound';
import { silentLog } from '../../../src/logging/log';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';
import { writeXml, xml, type XmlNode } from '../../../src/xml';

/** An OperationRun whose ESC channel records the edit-configs it is given. */
function runWith(signal: AbortSignal): { run: OperationRun<unknown, EscEventView>; sent: string[] } {
  const sent: string[] = [];
  const channel = {
    address: '127.0.0.1:830',
    editConfig: (config: XmlNode) => {
      sent.push(writeXml(config));
      return Promise.resolve();
    },
  } as unknown as EscSessionPort<EscEventView>;
  const ctx = {
    job: { jobId: 'job-1', state: {}, progress: () => undefined, checkpoint: () => Promise.resolve() },
    vnf: { vnfInstanceId: 'vnf-1' } as VnfRecord,
    vnfmId: 'vnfm-1',
    request: {},
    requestId: 'req-1',
    log: silentLog,
    signal,
    resumed: false,
    updateVnf: () => Promise.reject(new Error('not used')),
  } as unknown as OperationContext<unknown>;
  const deps = {
    esc: { channelFor: () => Promise.resolve(channel), close: () => Promise.resolve() },
    nslcm: {} as never,
    outbox: {} as never,
    settings: DEFAULT_ESC_RUNTIME_SETTINGS,
  };
  return { run: new OperationRun(ctx, deps, 'instantiate'), sent };
}

describe('an operation whose job is no longer its own', () => {
  it.each([
    ['another replica took the job over', new OwnershipLost('job-1', 'another replica owns the job now')],
    ['the service is shutting down', new ShutdownAbort()],
  ])('when %s, then its edit-configs are refused unsent and it may not clean up', async (_why, reason) => {
    const controller = new AbortController();
    const { run, sent } = runWith(controller.signal);
    const channel = await run.channel();
    await channel.editConfig(xml('before'));

    controller.abort(reason);

    await expect(channel.editConfig(xml('after'))).rejects.toThrow(EscAbortedError);
    expect(sent).toEqual(['<before/>']);
    expect(run.stillOurs()).toBe(false);
  });

  it('when only its deadline passed, then it is still the job’s run and may send its cleanup', async () => {
    const controller = new AbortController();
    const { run, sent } = runWith(controller.signal);
    const channel = await run.channel();

    controller.abort(new JobDeadlineError('job-1', 60));
    await channel.editConfig(xml('undeploy'));

    expect(sent).toEqual(['<undeploy/>']);
    expect(run.stillOurs()).toBe(true);
  });
});
