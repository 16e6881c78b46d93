import type { EscEventView } from '../esc/esc-event-view';
import { eventSubject, finalVerdict, goneReconciler, readDeployment } from '../esc/esc-steps';
import { startEventWait } from '../esc/event-waiter';
import { buildUndeployConfig } from '../esc/mapping/edit-builders';
import { writeXml } from '../xml';
import type { OperationRun } from './operation-run';
import type { EscSessionPort } from './ports';

/**
 * Undeploys (ESC guide "Un-deploy Service") unless ESC no longer knows the deployment, and waits
 * for SERVICE_UNDEPLOYED (or the deployment gone from opdata) within `timeoutMs`.
 */
export async function undeploy<R>(
  run: OperationRun<R, EscEventView>,
  channel: EscSessionPort<EscEventView>,
  tenant: string,
  depname: string,
  timeoutMs: number,
  onProgress?: (description: string) => void,
): Promise<void> {
  if (!(await readDeployment(channel, tenant, depname))) return;
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
    recheckIntervalMs: run.deps.settings.recheckIntervalMs,
    onProgress,
    errorContext: run.errorContext('wait for undeploy', { tenant, deployment: depname }),
    log: run.log,
  });
  try {
    await channel.editConfig(writeXml(buildUndeployConfig(tenant, depname)));
  } catch (err) {
    wait.cancel();
    throw err;
  }
  await wait.result;
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
