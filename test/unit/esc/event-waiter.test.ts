import { silentLog } from '../../../src/logging/log';
import { EscEventRouter } from '../../../src/esc/esc-event-router';
import {
  EscAbortedError,
  EscConnectionRefusedError,
  EscDeadlineError,
  EscDeploymentGoneError,
  EscEventFailureError,
} from '../../../src/esc/esc-errors';
import { NetconfError } from '../../../src/netconf/errors';
import { startEventWait, type EscEventSource, type WaitVerdict } from '../../../src/esc/event-waiter';

interface Ev {
  type: string;
  status: string;
  tenant?: string;
  depname?: string;
  message?: string;
}

function buildSource(): { source: EscEventSource<Ev>; router: EscEventRouter<Ev>; resync: () => void; fail: (err: Error) => void } {
  const router = new EscEventRouter<Ev>({ log: silentLog });
  const listeners = new Set<() => void>();
  const failureListeners = new Set<(err: Error) => void>();
  return {
    router,
    source: {
      watch: (t, d, l) => router.watch(t, d, l),
      onResync: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      onFailure: (l) => {
        failureListeners.add(l);
        return () => failureListeners.delete(l);
      },
    },
    resync: () => listeners.forEach((l) => l()),
    fail: (err) => failureListeners.forEach((l) => l(err)),
  };
}

const untilServiceAlive = (e: Ev): WaitVerdict | undefined => {
  if (e.type !== 'SERVICE_ALIVE') return e.type === 'VM_ALIVE' ? { kind: 'progress', description: 'vm alive' } : undefined;
  return e.status === 'SUCCESS' ? { kind: 'done' } : { kind: 'failed', eventType: e.type, message: e.message ?? '' };
};

function baseOptions(source: EscEventSource<Ev>) {
  return {
    source,
    tenant: 't',
    depname: 'd',
    classify: untilServiceAlive,
    waitingFor: () => 'SERVICE_ALIVE of d',
    timeoutMs: 2000,
    errorContext: { step: 'deploy', escHost: '127.0.0.1:830' },
    log: silentLog,
  };
}

describe('startEventWait', () => {
  it('when the final SUCCESS event arrives, then the wait resolves with it after reporting progress', async () => {
    const { source, router } = buildSource();
    const progress: string[] = [];
    const wait = startEventWait({ ...baseOptions(source), onProgress: (p) => progress.push(p) });
    router.dispatch({ type: 'VM_ALIVE', status: 'SUCCESS', tenant: 't', depname: 'd' });
    router.dispatch({ type: 'SERVICE_ALIVE', status: 'SUCCESS', tenant: 't', depname: 'd' });
    const outcome = await wait.result;
    expect(outcome.via).toBe('event');
    expect(progress).toEqual(['vm alive']);
    expect(router.watchedDeployments).toBe(0);
  });

  it("when ESC sends FAILURE, then the wait rejects with ESC's status message", async () => {
    const { source, router } = buildSource();
    const wait = startEventWait(baseOptions(source));
    router.dispatch({ type: 'SERVICE_ALIVE', status: 'FAILURE', tenant: 't', depname: 'd', message: 'VIM quota exceeded' });
    await expect(wait.result).rejects.toThrow(EscEventFailureError);
    await expect(wait.result).rejects.toThrow(/VIM quota exceeded/);
  });

  it('when ESC refuses the event session for good, then the wait rejects at once with a refused-connection error naming the cause', async () => {
    const { source, fail } = buildSource();
    const wait = startEventWait(baseOptions(source));
    fail(new NetconfError('AUTH', 'permission denied', { host: '127.0.0.1', port: 830 }));
    const err = await wait.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EscConnectionRefusedError);
    expect(err).toMatchObject({ reason: 'AUTH', step: 'deploy', escHost: '127.0.0.1:830' });
    expect((err as Error).message).toMatch(/not retried \(authentication failed\): permission denied/);
  });

  it('when nothing arrives before the deadline, then the wait rejects saying what it waited for', async () => {
    const { source, router } = buildSource();
    const wait = startEventWait({ ...baseOptions(source), timeoutMs: 30 });
    await expect(wait.result).rejects.toThrow(EscDeadlineError);
    await expect(wait.result).rejects.toThrow(/SERVICE_ALIVE of d on ESC 127.0.0.1:830/);
    expect(router.watchedDeployments).toBe(0);
  });

  it('when the event session reconnects and opdata shows the result, then the wait resolves from opdata', async () => {
    const { source, resync } = buildSource();
    let checks = 0;
    const wait = startEventWait({
      ...baseOptions(source),
      reconcile: () => {
        checks++;
        return Promise.resolve({ kind: 'done' as const });
      },
    });
    resync();
    await expect(wait.result).resolves.toEqual({ via: 'opdata' });
    expect(checks).toBe(1);
  });

  it('when opdata no longer holds the deployment, then the wait rejects at once naming the deployment and what it waited for', async () => {
    const { source } = buildSource();
    const wait = startEventWait({
      ...baseOptions(source),
      errorContext: { step: 'wait for deploy', tenant: 't', deployment: 'd' },
      reconcile: () => Promise.resolve({ kind: 'gone' as const }),
      reconcileAtStart: true,
    });
    const err = await wait.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EscDeploymentGoneError);
    expect((err as Error).message).toBe('ESC no longer holds deployment d (tenant t) while waiting for SERVICE_ALIVE of d');
  });

  it('when an opdata re-check fails, then the wait keeps listening for events', async () => {
    const { source, router } = buildSource();
    const wait = startEventWait({
      ...baseOptions(source),
      recheckIntervalMs: 5,
      reconcile: () => Promise.reject(new Error('session down')),
    });
    await new Promise((r) => setTimeout(r, 20));
    router.dispatch({ type: 'SERVICE_ALIVE', status: 'SUCCESS', tenant: 't', depname: 'd' });
    await expect(wait.result).resolves.toMatchObject({ via: 'event' });
  });

  it('when the signal aborts, then the wait rejects as aborted', async () => {
    const { source } = buildSource();
    const controller = new AbortController();
    const wait = startEventWait({ ...baseOptions(source), signal: controller.signal });
    controller.abort();
    await expect(wait.result).rejects.toThrow(EscAbortedError);
  });
});
