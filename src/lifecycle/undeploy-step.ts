import type { DeploymentView } from '../esc/deployment-view';
import { EscEventFailureError, EscRejectedError, EscUnreachableError, isLinkError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { eventSubject, finalVerdict, goneReconciler, readDeployment } from '../esc/esc-steps';
import { startEventWait } from '../esc/event-waiter';
import { buildUndeployConfig } from '../esc/mapping/edit-builders';
import { backoffDelayMs, sleepUnlessAborted } from './esc-backoff';
import type { OperationRun } from './operation-run';
import type { EscSessionPort } from './ports';

/** ESC's state of a deployment whose undeploy is under way (opdata state_machine/state). */
const SERVICE_UNDEPLOYING = 'SERVICE_UNDEPLOYING_STATE';

/** Options of {@link undeploy}. */
interface UndeployOptions {
  onProgress?: (description: string) => void;
  /** Told when ESC reported SERVICE_UNDEPLOYED FAILURE yet its opdata shows the deployment gone. */
  onWarning?: (text: string) => void;
}

/**
 * Undeploys (ESC guide "Un-deploy Service") and waits for SERVICE_UNDEPLOYED (or the deployment gone from opdata)
 * within `timeoutMs`. Safe to repeat: a deployment ESC no longer holds is done, one already undeploying is awaited,
 * and the answer to the undeploy is checked against opdata when it is an rpc-error (data-missing: the undeploy is
 * already going) or lost (timeout, link lost).
 */
export async function undeploy<R>(
  run: OperationRun<R, EscEventView>,
  channel: EscSessionPort<EscEventView>,
  tenant: string,
  depname: string,
  timeoutMs: number,
  opts: UndeployOptions = {},
): Promise<void> {
  const before = await readDeployment(channel, tenant, depname);
  if (!before) return;
  const wait = startEventWait<EscEventView>({
    source: channel,
    tenant,
    depname,
    classify: (e) => {
      if (e.type === 'SERVICE_UNDEPLOYED') return finalVerdict(e);
      if (e.type === 'VM_UNDEPLOYED') return { kind: 'progress', description: `VM_UNDEPLOYED ${e.vmSource?.vmid ?? ''}`.trim() };
      // The deployment networks go with it (guide "Un-deploy Service": DELETE_SUBNET, DELETE_NETWORK).
      if (e.type === 'DELETE_SUBNET' || e.type === 'DELETE_NETWORK') return { kind: 'progress', description: eventSubject(e) };
      return undefined;
    },
    waitingFor: () => `SERVICE_UNDEPLOYED of deployment ${depname} (tenant ${tenant})`,
    timeoutMs,
    signal: run.ctx.signal,
    reconcile: goneReconciler(channel, tenant, depname),
    reconcileAtStart: before.state === SERVICE_UNDEPLOYING,
    recheckIntervalMs: run.deps.settings.recheckIntervalMs,
    onProgress: opts.onProgress,
    errorContext: run.errorContext('wait for undeploy', { tenant, deployment: depname }),
    log: run.log,
  });
  if (before.state !== SERVICE_UNDEPLOYING) {
    let outcome: 'waiting' | 'gone';
    try {
      outcome = await sendUndeploy(run, channel, tenant, depname);
    } catch (err) {
      wait.cancel();
      throw err;
    }
    if (outcome === 'gone') {
      wait.cancel();
      return;
    }
  }
  try {
    await wait.result;
  } catch (err) {
    if (
      err instanceof EscEventFailureError &&
      err.eventType === 'SERVICE_UNDEPLOYED' &&
      !(await readDeployment(channel, tenant, depname))
    ) {
      // Guide "Un-deploy Service", On Failure: after a failed undeploy ESC keeps no opdata of the deployment.
      opts.onWarning?.(
        `ESC reported SERVICE_UNDEPLOYED FAILURE (${err.escMessage || 'no status message'}) but holds the deployment no more`,
      );
      return;
    }
    throw err;
  }
}

/** Sends the undeploy until ESC takes it, or its opdata shows the deployment going or gone. */
async function sendUndeploy<R>(
  run: OperationRun<R, EscEventView>,
  channel: EscSessionPort<EscEventView>,
  tenant: string,
  depname: string,
): Promise<'waiting' | 'gone'> {
  const ctx = run.errorContext('undeploy', { tenant, deployment: depname });
  for (let attempt = 0; ; attempt++) {
    try {
      await channel.editConfig(buildUndeployConfig(tenant, depname));
      return 'waiting';
    } catch (err) {
      const lost = isLinkError(err);
      run.log.warn(lost ? 'the answer to the undeploy was lost; deciding from opdata' : 'ESC refused the undeploy; deciding from opdata', {
        error: (err as Error).message,
      });
      if (lost) {
        const left = run.remainingMs();
        if (run.ctx.signal.aborted) throw new EscUnreachableError('undeploy', err as Error, ctx);
        await sleepUnlessAborted(Math.min(backoffDelayMs(attempt, run.deps.settings.unreachableRetry), left), run.ctx.signal);
      }
      const now: DeploymentView | undefined = await readDeployment(channel, tenant, depname);
      if (!now) return 'gone';
      if (now.state === SERVICE_UNDEPLOYING) return 'waiting';
      if (!lost) throw new EscRejectedError('undeploy', err as Error, ctx);
    }
  }
}

/** Undeploy after a failed instantiate, so that ESC is left clean; failures are logged, not thrown. */
export async function undeployQuietly<R>(
  run: OperationRun<R, EscEventView>,
  channel: EscSessionPort<EscEventView>,
  tenant: string,
  depname: string,
): Promise<void> {
  try {
    run.log.warn('undeploying after a failed deploy', { tenant, depname });
    await undeploy(run, channel, tenant, depname, run.deps.settings.cleanupTimeoutMs);
  } catch (err) {
    run.log.error('cleanup undeploy failed; ESC may keep the deployment', { tenant, depname, error: (err as Error).message });
  }
}
