import { EscRequestError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { deadlineFor } from '../esc/esc-runtime-settings';
import { finalVerdict, intermediateFailure, readDeployment, SERVICE_ACTIVE, SERVICE_STOPPED } from '../esc/esc-steps';
import { buildServiceAction } from '../esc/mapping/edit-builders';
import { OperationRun, type StoryDeps } from './operation-run';
import type { OperateVnfRequest } from './requests';
import type { OperationContext } from './southbound';

/**
 * Operate (ESC guide "Stop Service" / "Start Service"): serviceAction STOP until SERVICE_STOPPED, or
 * START until SERVICE_ALIVE. A service already in the asked state finishes at once. NSLCM takes no
 * grant or Notify for operate.
 */
export async function operateVnf(ctx: OperationContext<OperateVnfRequest>, deps: StoryDeps<EscEventView>): Promise<void> {
  const run = new OperationRun<OperateVnfRequest, EscEventView>(ctx, deps, 'operate');
  const { escTenant: tenant, escDeployment: depname } = run.vnf;
  if (!tenant || !depname) throw new EscRequestError('the VNF has no ESC deployment to operate', run.errorContext('read VNF'));
  const stop = ctx.request.changeStateTo === 'STOPPED';
  const goal = stop ? SERVICE_STOPPED : SERVICE_ACTIVE;
  const finalEvent = stop ? 'SERVICE_STOPPED' : 'SERVICE_ALIVE';
  await run.startDeadline(deadlineFor('operate', deps.settings, [], stop ? ctx.request.gracefulStopTimeout * 1000 : 0));
  const channel = await run.channel();
  const dep = await readDeployment(channel, tenant, depname);
  if (!dep) throw new EscRequestError(`deployment ${depname} is not in ESC`, run.errorContext('read opdata'));
  if (dep.state !== goal || run.has('operateSent')) {
    await ctx.job.progress(20, `${stop ? 'stopping' : 'starting'} ${depname}`);
    await run.sendAndWait(channel, {
      step: 'operate',
      tenant,
      depname,
      config: () => buildServiceAction(stop ? 'STOP' : 'START', tenant, depname),
      classify: (e) => {
        // The service-level event ends the workflow (guide "Stop Service" / "Start Service"); a VM's FAILURE before it does not.
        if (e.type === finalEvent) return finalVerdict(e);
        if (e.status === 'FAILURE') return intermediateFailure(e);
        return e.type === 'VM_STOPPED' || e.type === 'VM_STARTED'
          ? { kind: 'progress', description: `${e.type} ${e.vmSource?.vmid ?? ''}`.trim() }
          : undefined;
      },
      onProgress: (d) => void ctx.job.progress(50, d),
      waitingFor: () => `${finalEvent} of deployment ${depname}`,
      reconcile: async () => {
        const now = await readDeployment(channel, tenant, depname);
        if (!now) return { kind: 'gone' };
        return now.state === goal ? { kind: 'done' } : undefined;
      },
    });
  }
  // The VNF stays instantiated (vnfStatus ACTIVE); whether it runs is ESC's operational state, read by query.
  await ctx.job.progress(95, `deployment ${depname} ${stop ? 'stopped' : 'started'}`);
}
