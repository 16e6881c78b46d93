import type { VmView } from '../esc/deployment-view';
import { EscDeadlineError, EscRequestError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { deadlineFor } from '../esc/esc-runtime-settings';
import { finalVerdict, readDeployment, SERVICE_ACTIVE, SERVICE_STOPPED } from '../esc/esc-steps';
import { buildServiceAction } from '../esc/mapping/edit-builders';
import type { VimRef } from '../nslcm/nslcm-types';
import { parseVimRef } from '../nslcm/vim-ref';
import type { VnfRecord } from '../vnfs/vnf-record';
import { buildAffectedArrays, scopeOfVnf, vimIdStringOf, type GroupIndex } from './affected-builder';
import { OperationRun, type StoryDeps } from './operation-run';
import type { TerminateVnfRequest } from './requests';
import type { OperationContext } from './southbound';
import { undeploy } from './undeploy-step';
import { vmViewOfEntry } from './vnfc-inventory-diff';
import { vnfcInventoryOf } from '../vnfs/vnfc-inventory';

type Run = OperationRun<TerminateVnfRequest, EscEventView>;

/**
 * Terminate (VNFM Driver API §3.2 "Terminate VNF"; ESC guide "Un-deploy Service"): remember the VMs, grant their removal,
 * stop the service first when graceful (bounded by gracefulTerminationTimeout, or by the settings'
 * gracefulStopMaxMs when the request names none), undeploy, wait for SERVICE_UNDEPLOYED, Notify the VMs
 * REMOVED and mark the VNF terminated.
 */
export async function terminateVnf(ctx: OperationContext<TerminateVnfRequest>, deps: StoryDeps<EscEventView>): Promise<void> {
  const run: Run = new OperationRun(ctx, deps, 'terminate');
  const gracefulMs = gracefulStopMs(ctx.request, deps.settings.gracefulStopMaxMs);
  await run.startDeadline(deadlineFor('terminate', deps.settings, [], gracefulMs));
  const tenant = ctx.vnf.escTenant;
  const depname = ctx.vnf.escDeployment;
  if (!tenant || !depname) {
    // Nothing was ever deployed for this VNF (e.g. instantiate failed before deploy).
    await run.notify('START', 'Terminate');
    await run.notify('RESULT', 'Terminate');
    await run.updateVnf({ status: 'TERMINATED' });
    return;
  }
  const channel = await run.channel();
  if (!run.has('vmsBefore')) {
    const dep = await readDeployment(channel, tenant, depname);
    await run.mark({ vmsBefore: dep?.vms ?? [] });
  }
  // Also the VNFCs NSLCM was told of that ESC already replaced, so that none stays behind in NSLCM's inventory.
  const seen = run.state.vmsBefore as VmView[];
  const told = (vnfcInventoryOf(run.vnf) ?? []).filter((e) => !seen.some((v) => v.vmId === e.vmId)).map(vmViewOfEntry);
  const vms = [...seen, ...told];
  const groups = (run.vnf.attributes.escGroups ?? {}) as GroupIndex;
  const remove = vms.map((v) => ({ vdu: groups[v.vmGroup]?.vduId ?? v.vmGroup, resourceDefinitionId: v.vmId }));
  const grant = await run.grantOnce({ operation: 'Terminate', vim: vimOfRecord(run.vnf, run), remove });
  await run.updateVnf({ status: 'TERMINATING' });
  await run.notify('START', 'Terminate');
  await ctx.job.progress(20, `granted removal of ${vms.length} VM(s)`);

  if (gracefulMs > 0 && !run.has('stopped')) await stopGracefully(run, channel, tenant, depname, gracefulMs);
  await ctx.job.progress(40, `undeploying ${depname}`);
  let undeployed = 0;
  await undeploy(run, channel, tenant, depname, run.remainingMs(), {
    onProgress: (d) => {
      undeployed++;
      void ctx.job.progress(Math.min(90, 40 + Math.round((50 * undeployed) / Math.max(vms.length, 1))), d);
    },
    onWarning: (text) => {
      run.log.warn(text);
      ctx.job.warn(text);
    },
  });
  const vimId = grant.vimId || vimIdStringOf(run.vnf);
  await run.notify(
    'RESULT',
    'Terminate',
    buildAffectedArrays([{ changeType: 'REMOVED', vms }], scopeOfVnf(run.vnf, vimId, tenant), 'REMOVED'),
  );
  await run.updateVnf({ status: 'TERMINATED' });
  await ctx.job.progress(95, `deployment ${depname} undeployed`);
}

async function stopGracefully(
  run: Run,
  channel: Awaited<ReturnType<Run['channel']>>,
  tenant: string,
  depname: string,
  timeoutMs: number,
): Promise<void> {
  const dep = await readDeployment(channel, tenant, depname);
  if (dep?.state !== SERVICE_ACTIVE) {
    await run.mark({ stopped: true });
    return;
  }
  await run.ctx.job.progress(30, `stopping ${depname} gracefully (up to ${Math.round(timeoutMs / 1000)} s)`);
  const saved = run.state.deadlineAt;
  try {
    await run.sendAndWait(channel, {
      step: 'gracefulStop',
      tenant,
      depname,
      config: () => buildServiceAction('STOP', tenant, depname),
      classify: (e) => (e.type === 'SERVICE_STOPPED' ? finalVerdict(e) : undefined),
      waitingFor: () => `SERVICE_STOPPED of deployment ${depname}`,
      reconcile: async () => ((await readDeployment(channel, tenant, depname))?.state === SERVICE_STOPPED ? { kind: 'done' } : undefined),
      timeoutMs,
    });
  } catch (err) {
    // Graceful stop is best effort: on timeout or failure the termination goes on forcefully.
    const reason = err instanceof EscDeadlineError ? 'timed out' : (err as Error).message;
    run.log.warn('graceful stop did not complete; terminating forcefully', { reason });
  }
  await run.mark({ stopped: true, deadlineAt: saved });
}

/** How long a graceful terminate waits for SERVICE_STOPPED: the request's timeout, else the documented maximum. */
function gracefulStopMs(request: TerminateVnfRequest, maxMs: number): number {
  if (request.terminationType !== 'GRACEFUL') return 0;
  return request.gracefulTerminationTimeout > 0 ? request.gracefulTerminationTimeout * 1000 : maxMs;
}

function vimOfRecord(vnf: VnfRecord, run: Run): VimRef {
  if (vnf.vimId) return parseVimRef(vnf.vimId);
  const s = vnf.attributes.vimIdString;
  if (typeof s === 'string' && s) return parseVimRef(s);
  throw new EscRequestError('the VNF record names no VIM', run.errorContext('grant'));
}
