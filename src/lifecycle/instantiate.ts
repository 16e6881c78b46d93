import { EscAbortedError, EscDeploymentGoneError, EscOperationError, EscRejectedError, EscRequestError } from '../esc/esc-errors';
import type { EscEventView } from '../esc/esc-event-view';
import { deadlineFor } from '../esc/esc-runtime-settings';
import { activeReconciler, deployClassifier, eventSubject, progressBetween, readDeployment } from '../esc/esc-steps';
import { resolveHealingOwner, resolveTenant } from '../esc/mapping/deployment-inputs';
import { buildDeployment, type DeploymentPlan } from '../esc/mapping/deployment-mapper';
import { deploymentNameFor } from '../esc/mapping/deployment-naming';
import type { Placement } from '../esc/mapping/placement';
import type { VnfdModel } from '../esc/mapping/vnfd-model';
import { parseVnfdModel } from '../esc/mapping/vnfd-parser';
import type { VimRef } from '../nslcm/nslcm-types';
import { parseVimRef } from '../nslcm/vim-ref';
import { VNFC_INVENTORY_ATTRIBUTE } from '../vnfs/vnfc-inventory';
import { buildAffectedArrays, groupIndexFor, OWNED_VLS_ATTRIBUTE, scopeOfVnf, type OwnedVls } from './affected-builder';
import { aspectIndexOf } from './scale-plan';
import { OperationRun, type StoryDeps } from './operation-run';
import type { InstantiateVnfRequest } from './requests';
import type { OperationContext } from './southbound';
import { undeployQuietly } from './undeploy-step';
import { DEFAULT_PLACEMENT_SETTINGS, ensureFlavors, ensureVimConnector, placementFor } from './esc-prerequisites';
import { vnfcEntriesFor } from './vnfc-inventory-diff';

type Run = OperationRun<InstantiateVnfRequest, EscEventView>;
type Channel = Awaited<ReturnType<Run['channel']>>;

/**
 * Instantiate (VNFM Driver API §3.1 "Instantiate VNF"; ESC guide "Deploy Service", "Deploy Multi-vim Service"):
 * read the VNFD → plan the deployment → grant one VM per VDU instance → Notify START → make sure ESC has the
 * granted VIM's connector, create the flavors one by one, deploy every vm_group on the granted VIM and tenant and
 * follow VM_DEPLOYED / VM_ALIVE to SERVICE_ALIVE → read the VMs from opdata and Notify them ADDED (RESULT). A
 * FAILURE (or the deadline) undeploys, leaving ESC clean.
 */
export async function instantiateVnf(ctx: OperationContext<InstantiateVnfRequest>, deps: StoryDeps<EscEventView>): Promise<void> {
  const run: Run = new OperationRun(ctx, deps, 'instantiate');
  const vim = vimOf(ctx.request, run);
  const vnfd = await loadVnfd(run);
  const depname = deploymentNameFor(ctx.vnf.vnfInstanceId);
  const draft = planDeployment(run, vnfd, depname, 'tenant');
  await run.startDeadline(
    deadlineFor(
      'instantiate',
      deps.settings,
      draft.vmGroups.map((g) => g.bootupTimeSec),
    ),
  );
  await ctx.job.progress(10, `VNFD mapped: ${draft.vmGroups.length} VM group(s), ${draft.networks.length} deployment network(s)`);

  const add = draft.vmGroups.flatMap((g) => Array.from({ length: g.minActive }, () => ({ vdu: g.vduId })));
  const grant = await run.grantOnce({ operation: 'Instantiate', vim, add });
  const tenant = resolveTenant(ctx.request.additionalParam.inputs ?? {}, grant.tenant ?? '');
  if (!tenant) throw new EscRequestError('the grant answer names no tenant and inputs give no esc_tenant', run.errorContext('grant'));
  const placementSettings = deps.placement ?? DEFAULT_PLACEMENT_SETTINGS;
  const placement = placementFor(grant.vimId, tenant, placementSettings);
  const plan = planDeployment(run, vnfd, depname, tenant, placement);
  await run.updateVnf({
    escTenant: tenant,
    escDeployment: depname,
    vimId: { cloud_owner: vim.cloudOwner, cloud_regionid: vim.cloudRegionId },
    status: 'INSTANTIATING',
    attributes: { ...vnfAttributes(vnfd, plan, grant.vimId), escPlacement: placement, healingOwner: healingOwnerOf(run) },
  });
  await run.notify('START', 'Instantiate');
  await ctx.job.progress(20, `granted in VIM ${grant.vimId}, tenant ${tenant}`);

  const channel = await run.channel();
  await ensureVimConnector(run, channel, grant.vimId, placement, placementSettings);
  await ctx.job.progress(22, `placing on ESC VIM connector ${placement.vimId}, project ${placement.vimProject}`);
  await ensureFlavors(run, channel, plan.flavors);
  await deploy(run, channel, plan, tenant, depname, add.length);
  await reportDeployed(run, channel, tenant, depname, grant.vimId);
}

/** Sends the deployment and follows it to SERVICE_ALIVE; on a FAILURE or the deadline, undeploys what ESC made. */
async function deploy(run: Run, channel: Channel, plan: DeploymentPlan, tenant: string, depname: string, vms: number): Promise<void> {
  const { job } = run.ctx;
  try {
    await run.sendAndWait(channel, {
      step: 'deploy',
      tenant,
      depname,
      config: plan.config,
      classify: deployClassifier(vms, (done, total, e) => void job.progress(progressBetween(25, 90, done, total), describeEvent(e))),
      waitingFor: () => `SERVICE_ALIVE of deployment ${depname} (tenant ${tenant})`,
      reconcile: activeReconciler(channel, tenant, depname),
      alreadyApplied: async () => (await readDeployment(channel, tenant, depname)) !== undefined,
    });
  } catch (err) {
    // A rejected deploy started nothing; after anything else (a FAILURE, the deadline, ESC unreachable) ESC may hold it.
    // A run whose job was taken over (or stopped by a shutdown) leaves it to the job's next run, which reads opdata.
    if (!(err instanceof EscRejectedError) && !(err instanceof EscAbortedError) && run.stillOurs()) {
      await undeployQuietly(run, channel, tenant, depname);
    }
    throw err;
  }
}

/** `TYPE subject[ FAILURE (ESC's message)]` for the job's history. */
function describeEvent(e: EscEventView): string {
  const failed = e.status === 'FAILURE' ? ` FAILURE${e.statusMessage ? ` (${e.statusMessage})` : ''}` : '';
  return eventSubject(e) + failed;
}

function vimOf(request: InstantiateVnfRequest, run: Run): VimRef {
  const raw = request.additionalParam.vimId ?? request.extVirtualLink.find((l) => l.vim?.vimid)?.vim?.vimid;
  if (!raw) throw new EscRequestError('the request names no VIM (additionalParam.vimId)', run.errorContext('read request'));
  return parseVimRef(raw);
}

async function loadVnfd(run: Run): Promise<VnfdModel> {
  try {
    const pkg = await run.deps.nslcm.getVnfPackage(run.ctx.request.vnfPackageId, { signal: run.ctx.signal });
    return parseVnfdModel(pkg.packageInfo.vnfdModel);
  } catch (err) {
    throw new EscOperationError(`cannot read the VNFD of package ${run.ctx.request.vnfPackageId}: ${(err as Error).message}`, {
      ...run.errorContext('read VNFD'),
      cause: err,
    });
  }
}

function planDeployment(run: Run, vnfd: VnfdModel, depname: string, tenant: string, placement?: Placement): DeploymentPlan {
  const req = run.ctx.request;
  try {
    return buildDeployment({
      tenant,
      placement,
      deploymentName: depname,
      vnfd,
      inputs: req.additionalParam.inputs ?? {},
      // With ONAP as healing owner, ESC gets no recovery action: Policy heals through NSLCM.
      autoRecovery: healingOwnerOf(run) === 'esc',
      extVirtualLinks: req.extVirtualLink.map((l) => ({
        cpdId: l.cpdId,
        resourceId: l.resourceId,
        resourceSubnetId: l.resourceSubnetId,
        vlInstanceId: l.vlInstanceId,
      })),
    });
  } catch (err) {
    throw new EscOperationError(`VNFD ${vnfd.vnfdId} cannot be deployed: ${(err as Error).message}`, {
      ...run.errorContext('map VNFD'),
      cause: err,
    });
  }
}

/** Who recovers this VNF's failed VMs: the request's inputs.healingOwner, else HEALING_OWNER. */
function healingOwnerOf(run: Run): 'esc' | 'onap' {
  return resolveHealingOwner(run.ctx.request.additionalParam.inputs ?? {}, run.deps.healingOwner ?? 'esc');
}

function vnfAttributes(vnfd: VnfdModel, plan: DeploymentPlan, vimId: string): Record<string, unknown> {
  const groups = groupIndexFor(plan.vmGroups);
  const bounds = Object.fromEntries(plan.vmGroups.map((g) => [g.name, { ...g.scaleBounds, current: g.minActive }]));
  return {
    escGroups: groups,
    escBounds: bounds,
    escAspects: aspectIndexOf(vnfd),
    escElastic: plan.vmGroups.filter((g) => g.elastic).map((g) => g.name),
    // The deployment networks are the VLs this VNF creates: reported ADDED with it, REMOVED with its undeploy.
    [OWNED_VLS_ATTRIBUTE]: ownedVlsOf(plan),
    vimIdString: vimId,
    version: vnfd.version ?? '',
    vnfProvider: vnfd.vnfProvider ?? '',
    vnfType: vnfd.vnfType ?? '',
  };
}

/** The VLs the deployment creates (its networks), by VNFD virtual link id; ESC names each network uniquely. */
function ownedVlsOf(plan: DeploymentPlan): OwnedVls {
  return Object.fromEntries(plan.networks.map((n) => [n.vlId, { resourceId: n.name, resourceName: n.name }]));
}

async function reportDeployed(run: Run, channel: Channel, tenant: string, depname: string, vimId: string): Promise<void> {
  const dep = await readDeployment(channel, tenant, depname);
  if (!dep) throw new EscDeploymentGoneError(run.errorContext('read opdata', { tenant, deployment: depname }));
  const scope = scopeOfVnf(run.vnf, vimId, tenant);
  const affected = buildAffectedArrays([{ changeType: 'ADDED', vms: dep.vms }], scope, 'ADDED');
  await run.updateVnf({ status: 'ACTIVE', attributes: { [VNFC_INVENTORY_ATTRIBUTE]: vnfcEntriesFor(dep.vms, scope.groups) } });
  await run.notify('RESULT', 'Instantiate', affected);
  await run.ctx.job.progress(95, `deployment ${depname} active with ${dep.vms.length} VM(s)`);
}
