import { countByGroup, diffVmViews, type VmView } from '../esc/deployment-view';
import { EscOperationError, EscRequestError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { deadlineFor } from '../esc/esc-runtime-settings';
import { progressBetween, readDeployment, SERVICE_ACTIVE } from '../esc/esc-steps';
import { buildScaleConfig, type ScaleTarget } from '../esc/mapping/edit-builders';
import { parseVnfdModel } from '../esc/mapping/vnfd-parser';
import { parseVimRef } from '../nslcm/vim-ref';
import { writeXml } from '../xml';
import { VNFC_INVENTORY_ATTRIBUTE, vnfcInventoryOf } from '../vnfs/vnfc-inventory';
import { buildAffectedArrays, scopeOfVnf, type GroupIndex } from './affected-builder';
import { OperationRun, type StoryDeps } from './operation-run';
import type { ScaleVnfRequest } from './requests';
import { planScale, ScalePlanError, type AspectIndex, type GroupChange, type ScaleAspect } from './scale-plan';
import type { OperationContext } from './southbound';
import { vnfcEntriesFor } from './vnfc-inventory-diff';

type Run = OperationRun<ScaleVnfRequest, EscEventView>;

/**
 * Scale (VNFM Driver API §3.5 "Scale VNF"; ESC guide "Update Service"): the aspect names the VM groups; each changes by
 * numberOfSteps × its step size within its bounds. Grant, update min/max_active, wait for
 * SERVICE_UPDATED, then compare opdata before and after to Notify exactly the VMs ADDED or REMOVED.
 */
export async function scaleVnf(ctx: OperationContext<ScaleVnfRequest>, deps: StoryDeps<EscEventView>): Promise<void> {
  const run: Run = new OperationRun(ctx, deps, 'scale');
  const { tenant, depname } = deploymentOf(run);
  const out = ctx.request.type === 'SCALE_OUT';
  const operation = out ? 'Scaleout' : 'Scalein';
  await run.startDeadline(deadlineFor('scale', deps.settings));
  const channel = await run.channel();
  if (!run.has('vmsBefore')) {
    const dep = await readDeployment(channel, tenant, depname);
    if (!dep) throw new EscRequestError(`deployment ${depname} is not in ESC`, run.errorContext('read opdata'));
    await run.mark({ vmsBefore: dep.vms, changes: planChanges(run, dep.vms) });
  }
  const before = run.state.vmsBefore as VmView[];
  const changes = run.state.changes as GroupChange[];
  const delta = changes.flatMap((c) => Array.from({ length: Math.abs(c.target - c.current) }, () => ({ vdu: c.vduId })));
  const grant = await run.grantOnce({
    operation,
    vim: parseVimRef(run.vnf.vimId ?? run.vnf.attributes.vimIdString),
    add: out ? delta : [],
    remove: out ? [] : delta,
  });
  await run.notify('START', operation);
  await ctx.job.progress(20, `${operation} ${changes.map((c) => `${c.vmGroup} ${c.current}→${c.target}`).join(', ')}`);

  const targets = scaleTargets(run, changes);
  let steps = 0;
  await run.sendAndWait(channel, {
    step: 'scale',
    tenant,
    depname,
    config: writeXml(buildScaleConfig(tenant, depname, targets)),
    classify: (e) => {
      if (e.status === 'FAILURE') return { kind: 'failed', eventType: e.type, message: e.statusMessage };
      if (e.type === 'SERVICE_UPDATED') return { kind: 'done' };
      if (['VM_DEPLOYED', 'VM_ALIVE', 'VM_UNDEPLOYED'].includes(e.type)) {
        void ctx.job.progress(progressBetween(25, 90, ++steps, delta.length * (out ? 2 : 1)), `${e.type} ${e.vmSource?.vmid ?? ''}`.trim());
      }
      return undefined;
    },
    waitingFor: () => `SERVICE_UPDATED of deployment ${depname} (${targets.map((t) => `${t.vmGroup}=${t.minActive}`).join(', ')})`,
    reconcile: async () => {
      const dep = await readDeployment(channel, tenant, depname);
      if (!dep) return { kind: 'gone' };
      const counts = countByGroup(dep.vms);
      const reached = dep.state === SERVICE_ACTIVE && targets.every((t) => (counts[t.vmGroup] ?? 0) === t.minActive);
      return reached ? { kind: 'done' } : undefined;
    },
  });
  const after = await readDeployment(channel, tenant, depname);
  if (!after) throw new EscOperationError(`deployment ${depname} vanished from ESC during scaling`, run.errorContext('read opdata'));
  const { added, removed } = diffVmViews(before, after.vms);
  const scope = scopeOfVnf(run.vnf, grant.vimId, tenant);
  const affected = buildAffectedArrays(
    [
      { changeType: 'ADDED', vms: added },
      { changeType: 'REMOVED', vms: removed },
    ],
    scope,
  );
  const bounds = (run.vnf.attributes.escBounds ?? {}) as Record<string, { min: number; max?: number; current: number }>;
  for (const c of changes) bounds[c.vmGroup] = { ...(bounds[c.vmGroup] ?? { min: 0 }), current: c.target };
  const vnfcs = vnfcEntriesFor(after.vms, scope.groups, vnfcInventoryOf(run.vnf));
  await run.updateVnf({ attributes: { escBounds: bounds, [VNFC_INVENTORY_ATTRIBUTE]: vnfcs } });
  await run.notify('RESULT', operation, affected);
  await ctx.job.progress(95, `${added.length} VM(s) added, ${removed.length} removed`);
}

/**
 * min/max_active per changed group: a fixed count (min = max, the guide's Update Service examples, lines
 * ~2610-2720); an elastic group keeps max_active at the VNFD's maximum so ESC can still grow it.
 */
function scaleTargets(run: Run, changes: GroupChange[]): ScaleTarget[] {
  const elastic = new Set((run.vnf.attributes.escElastic ?? []) as string[]);
  const bounds = (run.vnf.attributes.escBounds ?? {}) as Record<string, { max?: number }>;
  return changes.map((c) => {
    const max = bounds[c.vmGroup]?.max;
    return { vmGroup: c.vmGroup, minActive: c.target, maxActive: elastic.has(c.vmGroup) && max !== undefined ? max : c.target };
  });
}

function deploymentOf(run: Run): { tenant: string; depname: string } {
  const { escTenant, escDeployment } = run.vnf;
  if (!escTenant || !escDeployment) throw new EscRequestError('the VNF has no ESC deployment to scale', run.errorContext('read VNF'));
  return { tenant: escTenant, depname: escDeployment };
}

/** Plans the change from the VNF record's groups and bounds and ESC's counts (a plan error is a request error). */
function planChanges(run: Run, vms: readonly VmView[]): GroupChange[] {
  const { aspectId, numberOfSteps, type } = run.ctx.request;
  try {
    return planScale({
      aspectId,
      numberOfSteps,
      type,
      groups: (run.vnf.attributes.escGroups ?? {}) as GroupIndex,
      bounds: (run.vnf.attributes.escBounds ?? {}) as Record<string, { min: number; max?: number }>,
      counts: countByGroup(vms),
      aspect: aspectOf(run, aspectId),
    });
  } catch (err) {
    if (err instanceof ScalePlanError) throw new EscRequestError(err.message, run.errorContext('plan scale'));
    throw err;
  }
}

/**
 * The aspect as the VNF record keeps it from instantiate (attribute `escAspects`); for a VNF instantiated before
 * the record kept aspects, from the VNFD the request carries (additionalParam.vnfdModel), if it names it.
 */
function aspectOf(run: Run, aspectId: string): ScaleAspect | undefined {
  const kept = run.vnf.attributes.escAspects as AspectIndex | undefined;
  if (kept !== undefined && Object.hasOwn(kept, aspectId)) return kept[aspectId];
  const raw = run.ctx.request.additionalParam?.vnfdModel;
  if (raw === undefined || raw === null || raw === '') return undefined;
  try {
    return parseVnfdModel(raw as string | object).scalingAspects.find((a) => a.aspectId === aspectId);
  } catch (err) {
    run.log.warn('scale request vnfdModel unreadable; using the aspect id as VDU name', { error: (err as Error).message });
    return undefined;
  }
}
