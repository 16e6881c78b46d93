import type { JobEntry } from '../../../src/jobs/job-model';
import { awaitNotify, buildFwLbInstantiate, runOperation, startEscRig, type EscRig } from './esc-service-harness';

/**
 * `target` behind a port whose every call starts one event-loop turn later and answers one turn after it
 * did its work, as a networked database would: nothing above the store may rely on a synchronous answer.
 */
function answeringLater<T extends object>(target: T, calls: string[]): T {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key, obj);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        calls.push(String(key));
        await turn();
        const answer: unknown = await (value as (...a: unknown[]) => unknown).apply(obj, args);
        await turn();
        return answer;
      };
    },
  });
}

/** responseIds 1..n in order, progress never going back, one final entry and it is the last. */
function expectWellFormed(history: JobEntry[]): void {
  expect(history.map((e) => e.responseId)).toEqual(history.map((_e, i) => i + 1));
  const progress = history.map((e) => e.progress);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(history.filter((e) => e.status === 'finished' || e.status === 'error')).toEqual([history[history.length - 1]]);
  expect(history[history.length - 1]).toMatchObject({ status: 'finished', progress: 100 });
}

describe('the service on stores that answer asynchronously', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when every store call answers turns later, then an instantiate and a terminate finish with their history and Notify messages in order', async () => {
    const calls: string[] = [];
    rig = await startEscRig({ wrapStores: { driver: (s) => answeringLater(s, calls), outbox: (s) => answeringLater(s, calls) } });
    const { base, stub, svc } = rig;

    const inst = await runOperation(base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last).toMatchObject({ status: 'finished', progress: 100 });
    const term = await runOperation(base, `/vnfs/${inst.vnfInstanceId}/terminate`, {
      terminationType: 'graceful',
      gracefulTerminationTimeout: '5',
    });
    expect(term.last).toMatchObject({ status: 'finished', progress: 100 });

    for (const job of [inst, term]) {
      const history = await svc.store.history(job.jobId);
      expectWellFormed(history);
      // What NSLCM's polls saw is the stored history, entry for entry.
      expect(job.seen.map((d) => [Number(d.responseId), d.status, Number(d.progress)])).toEqual(
        history.map((e) => [e.responseId, e.status, e.progress]),
      );
    }
    await awaitNotify(stub, term.jobId, 'RESULT');
    const told = stub
      .acceptedNotifies()
      .map((n) => `${n.body.jobId === inst.jobId ? 'instantiate' : 'terminate'} ${String(n.body.status)}`);
    expect(told).toEqual(['instantiate START', 'instantiate RESULT', 'terminate START', 'terminate RESULT']);
    expect(await svc.store.getVnf(inst.vnfInstanceId!)).toMatchObject({ status: 'TERMINATED' });
    // The writes really went through the slow ports.
    expect([...new Set(calls)]).toEqual(
      expect.arrayContaining(['createJob', 'appendEntry', 'saveState', 'updateVnf', 'insert', 'dueHeads', 'markDelivered']),
    );
  });
});
