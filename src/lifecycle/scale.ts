import { countByGroup, diffVmViews, type VmView } from '../esc/deployment-view';
import { EscAbortedError, EscDeploymentGoneError, EscOperationError, EscRejectedError, EscRequestError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { deadlineFor } from '../esc/esc-runtime-settings';
import { finalVerdict, intermediateFailure, progressBetween, readDeployment, SERVICE_ACTIVE } from '../esc/esc-steps';
import { startEventWait } from '../esc/event-waiter';
import { buildScaleConfig, type ScaleTarget } from '../esc/mapping/edit-builders';
import { parseVnfdModel } from '../esc/mapping/vnfd-parser';
import { parseVimRef } from '../nslcm/vim-ref';
import { VNFC_INVENTORY_ATTRIBUTE, vnfcInventoryOf } from '../vnfs/vnfc-inventory';
import { buildAffectedArrays, scopeOfVnf, vimIdStringOf, type GroupIndex } from './affected-builder';
import { OperationRun, type StoryDeps } from './operation-run';
import type { ScaleVnfRequest } from './requests';
import { planScale, ScalePlanError, type AspectIndex, type GroupChange, type ScaleAspect } from './scale-plan';
import type { OperationContext } from './southbound';
import { vnfcEntriesFor } from './vnfc-inventory-diff';

type Run = OperationRun<ScaleVnfRequest, EscEventView>;
type Channel = Awaited<ReturnType<Run['channel']>>;

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
  try {
    await run.sendAndWait(channel, {
      step: 'scale',
      tenant,
      depname,
      config: () => buildScaleConfig(tenant, depname, targets),
      idempotent: true,
      classify: (e) => {
        // SERVICE_UPDATED ends the update workflow (guide "Update Service"); a FAILURE before it is followed up by ESC.
        if (e.type === 'SERVICE_UPDATED') return finalVerdict(e);
        if (e.status === 'FAILURE') return intermediateFailure(e);
        if (['VM_DEPLOYED', 'VM_ALIVE', 'VM_UNDEPLOYED'].includes(e.type)) {
          void ctx.job.progress(
            progressBetween(25, 90, ++steps, delta.length * (out ? 2 : 1)),
            `${e.type} ${e.vmSource?.vmid ?? ''}`.trim(),
          );
        }
        return undefined;
      },
      onProgress: (d) => void ctx.job.progress(progressBetween(25, 90, steps, delta.length * (out ? 2 : 1)), d),
      waitingFor: () => `SERVICE_UPDATED of deployment ${depname} (${targets.map((t) => `${t.vmGroup}=${t.minActive}`).join(', ')})`,
      reconcile: countsReached(channel, tenant, depname, targets),
    });
  } catch (err) {
    if (err instanceof EscRejectedError || err instanceof EscAbortedError || err instanceof EscDeploymentGoneError) throw err;
    throw await restoreAfterFailure(run, channel, changes, err as Error);
  }
  const after = await readDeployment(channel, tenant, depname);
  if (!after) throw new EscDeploymentGoneError(run.errorContext('read opdata', { tenant, deployment: depname }));
  const { added, removed } = diffVmViews(before, after.vms);
  const scope = scopeOfVnf(run.vnf, grant.vimId, tenant);
  const affected = buildAffectedArrays(
    [
      { changeType: 'ADDED', vms: added },
      { changeType: 'REMOVED', vms: removed },
    ],
    scope,
  );
  const bounds = { ...(run.vnf.attributes.escBounds ?? {}) } as Record<string, { min: number; max?: number; current: number }>;
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

/** opdata check: the service is active with every group at its target count; gone when ESC no longer holds it. */
function countsReached(channel: Channel, tenant: string, depname: string, targets: readonly ScaleTarget[]) {
  return async () => {
    const dep = await readDeployment(channel, tenant, depname);
    if (!dep) return { kind: 'gone' as const };
    const counts = countByGroup(dep.vms);
    const reached = dep.state === SERVICE_ACTIVE && targets.every((t) => (counts[t.vmGroup] ?? 0) === t.minActive);
    return reached ? { kind: 'done' as const } : undefined;
  };
}

/**
 * After a failed scale (guide "Update Service", Handling Activation Failures: bring the configuration back to a
 * consistent state): sets every group back to its previous count and waits for SERVICE_UPDATED (bounded by the
 * cleanup timeout), then records what ESC changed all the same, for the RESULT Notify. Returns the error to throw.
 */
async function restoreAfterFailure(run: Run, channel: Channel, changes: readonly GroupChange[], err: Error): Promise<Error> {
  const { tenant, depname } = deploymentOf(run);
  const previous: ScaleTarget[] = changes.map((c) => ({ vmGroup: c.vmGroup, minActive: c.current, maxActive: c.current }));
  const counts = previous.map((t) => `${t.vmGroup}=${t.minActive}`).join(', ');
  let restored = 'restored';
  try {
    const wait = startEventWait<EscEventView>({
      source: channel,
      tenant,
      depname,
      classify: (e) => (e.type === 'SERVICE_UPDATED' ? finalVerdict(e) : undefined),
      waitingFor: () => `SERVICE_UPDATED of deployment ${depname} back to ${counts}`,
      timeoutMs: run.deps.settings.cleanupTimeoutMs,
      reconcile: countsReached(channel, tenant, depname, previous),
      recheckIntervalMs: run.deps.settings.recheckIntervalMs,
      errorContext: run.errorContext('restore group counts', { tenant, deployment: depname }),
      log: run.log,
    });
    try {
      await channel.editConfig(buildScaleConfig(tenant, depname, previous));
    } catch (sendErr) {
      wait.cancel();
      throw sendErr;
    }
    await wait.result;
  } catch (restoreErr) {
    restored = `not restored (${(restoreErr as Error).message})`;
    run.log.error('could not restore the group counts after a failed scale', { error: (restoreErr as Error).message });
  }
  const before = run.state.vmsBefore as VmView[];
  const now = await readDeployment(channel, tenant, depname).catch(() => undefined);
  const { added, removed } = diffVmViews(before, now?.vms ?? before);
  const scope = scopeOfVnf(run.vnf, vimIdStringOf(run.vnf), tenant);
  await run.mark({
    changedOnFailure: buildAffectedArrays(
      [
        { changeType: 'ADDED', vms: added },
        { changeType: 'REMOVED', vms: removed },
      ],
      scope,
    ),
  });
  const what = `group counts ${counts} ${restored}; ESC added ${added.length} and removed ${removed.length} VM(s)`;
  return new EscOperationError(`${err.message}; ${what}`, { ...run.errorContext('scale'), cause: err });
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
