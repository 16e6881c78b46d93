import { childOf, childrenOf, type XmlElement } from '../xml';
import type { EditOperation } from './config-tree';
import { minActiveOf } from './config-validator';
import { emptyConfig, emptySystemConfig, planEditConfig } from './edit-config-planner';
import { propertyOf, unknownProjectOf } from './resource-planner';
import { resourceStep } from './resource-steps';
import { parseActionRequest } from './action-request';
import { EscState, type DeploymentState, type VmInstance } from './esc-state';
import type { EscEvent } from './esc-event-writer';
import { EventFactory } from './event-factory';
import type { FaultBook } from './fault-book';
import { IdFactory } from './id-factory';
import { deleteTenantStep, createTenantStep, deploySteps, undeploySteps, updateSteps, type StepContext } from './deployment-steps';
import { serviceActionSteps, vmActionSteps } from './action-steps';
import {
  autoRecoverySteps,
  elasticScaleInSteps,
  elasticScaleOutSteps,
  groupRecovers,
  vmDownSteps,
  type InitiatedOutcome,
} from './esc-initiated-steps';
import { SimRpcError } from './sim-rpc-error';
import { ESC_NS, type SimulatorDelays, type SimulatorVimConnector } from './simulator-types';
import { VmBuilder } from './vm-builder';
import { WorkflowRunner, type Job, type Step } from './workflow-runner';
import { deploymentOf, type Workflow } from './workflow-types';

/**
 * ESC's two-stage model (guide, "Writing Configuration Data"): Stage 1 validates and commits the
 * running configuration synchronously; Stage 2 activates it asynchronously, reporting escEvents.
 */
export class EscEngine {
  readonly state = new EscState();
  private config: XmlElement = emptyConfig();
  private system: XmlElement = emptySystemConfig();
  /** Called after every accepted edit and every activation step (the state file saves then). */
  onChange: () => void = () => undefined;
  private readonly ctx: StepContext;
  private readonly runner: WorkflowRunner;

  constructor(
    delays: SimulatorDelays,
    private readonly faults: FaultBook,
    emit: (e: EscEvent) => void,
    installed: readonly SimulatorVimConnector[] = [],
  ) {
    const ids = new IdFactory();
    this.ctx = { state: this.state, vms: new VmBuilder(ids, this.state), events: new EventFactory(this.state) };
    this.runner = new WorkflowRunner(delays, faults, (e) => {
      emit(e);
      this.onChange();
    });
    this.ids = ids;
    this.install(installed);
  }

  /**
   * VIM connectors configured at installation, with their credentials (guide ~line 553: before ESC 2.3 the VIM
   * credentials were added during installation; ~line 1039: the default VIM connector).
   */
  private install(connectors: readonly SimulatorVimConnector[]): void {
    if (connectors.length === 0) return;
    const leaf = (name: string, text: string): XmlElement => ({ name, ns: ESC_NS, attrs: [], children: [], text });
    const entries = connectors.map((c) => {
      this.state.vimConnectors.set(c.id, { id: c.id, status: 'CONNECTION_SUCCESSFUL', projects: new Set(c.projects) });
      return { name: 'vim_connector', ns: ESC_NS, attrs: [], text: '', children: [leaf('id', c.id), leaf('type', 'OPENSTACK')] };
    });
    this.system = { ...this.system, children: [{ name: 'vim_connectors', ns: ESC_NS, attrs: [], text: '', children: entries }] };
  }

  /** The running esc_system_config (VIM connectors). */
  get systemConfig(): XmlElement {
    return this.system;
  }

  /**
   * After a restart from the state file: activates again what was still being activated when the simulator
   * stopped, as ESC resumes its workflows from its database: interrupted deployments (a deploy starts over, an
   * update or undeploy runs again) and flavors, VIM connectors and users in the configuration but not yet in
   * the operational data.
   */
  resumeActivations(interrupted: readonly DeploymentState[]): void {
    for (const dep of interrupted) {
      dep.busy = false;
      const config = deploymentConfig(this.config, dep.tenant, dep.name);
      if (dep.state === 'SERVICE_UNDEPLOYING_STATE' || !config) this.undeploy(dep.tenant, dep.name);
      else if (dep.state === 'SERVICE_DEPLOYING_STATE') {
        this.state.removeDeployment(dep);
        this.deploy(dep.tenant, dep.name, config, 'deploy');
      } else if (dep.state === 'SERVICE_UPDATING_STATE') this.deploy(dep.tenant, dep.name, config, 'update');
    }
    for (const f of childOf(this.config, 'flavors')?.children ?? []) {
      const name = childOf(f, 'name')?.text.trim() ?? '';
      if (!this.state.flavors.has(name)) this.activate({ kind: 'create-flavor', flavor: name });
    }
    for (const c of childOf(this.system, 'vim_connectors')?.children ?? []) {
      const id = childOf(c, 'id')?.text.trim();
      if (c.name !== 'vim_connector' || !id) continue;
      const known = this.state.vimConnectors.get(id);
      if (!known) this.activate({ kind: 'create-vim-connector', connector: id, project: propertyOf(c, 'os_project_name') });
      const user = childOf(childOf(childOf(c, 'users'), 'user'), 'id')?.text.trim();
      if (user && known?.user !== user) this.activate({ kind: 'create-vim-user', connector: id, user });
    }
  }

  /** Puts back a running configuration read from the state file. */
  restoreConfig(config: XmlElement, system: XmlElement): void {
    this.config = config;
    this.system = system;
  }
  private readonly ids: IdFactory;

  /** The running configuration (esc_datamodel). */
  get running(): XmlElement {
    return this.config;
  }

  /** Stage 1 of an edit-config; throws SimRpcError on rejection, otherwise starts activation. */
  editConfig(config: XmlElement, defaultOp: EditOperation): Workflow[] {
    const plan = planEditConfig(config, this.config, this.state, defaultOp, this.system);
    this.checkRejectFaults(plan.workflows);
    this.config = plan.tree;
    this.system = plan.system;
    // A tenant created by a Deploy Service request is part of that deployment's activation (guide, "Deploy Service").
    const deploying = new Set(
      plan.workflows.filter((w) => w.kind === 'deploy').map((w) => deploymentOf(w) && (w as { tenant: string }).tenant),
    );
    const workflows = plan.workflows.filter((w) => !(w.kind === 'create-tenant' && deploying.has(w.tenant)));
    for (const w of workflows) this.activate(w);
    this.onChange();
    return workflows;
  }

  /** serviceAction / vmAction / recoveryVmAction sent as an RPC of its own. */
  action(el: XmlElement): Workflow {
    const w = parseActionRequest(el, this.state);
    this.checkRejectFaults([w]);
    this.activate(w);
    return w;
  }

  private checkRejectFaults(workflows: Workflow[]): void {
    for (const w of workflows) {
      const vm = w.kind === 'vm-action' ? w.vmName : undefined;
      const dep = deploymentOf(w) ?? (vm ? this.state.findVm(vm)?.dep.name : undefined);
      const rule = this.faults.reject(dep, vm);
      if (rule)
        throw new SimRpcError('operation-failed', rule.message ?? `Request for ${dep ?? vm ?? 'ESC'} rejected`, {
          path: '/rpc/edit-config/config/esc:esc_datamodel',
        });
    }
  }

  stop(): void {
    this.runner.stop();
  }

  /**
   * Simulator control: the VM named `vm` (name or VM id) goes down. When its vm_group's rules ask for recovery
   * ({@link groupRecovers}), ESC's auto recovery runs on it ({@link autoRecoverySteps}); otherwise it stays down
   * ({@link vmDownSteps}). Throws when no deployment holds that VM.
   */
  killVm(vm: string, outcome: InitiatedOutcome = 'success'): void {
    const found = this.state.findVm(vm) ?? this.findVmById(vm);
    if (!found) throw new Error(`no VM named or with id ${vm}`);
    const group = childrenOf(deploymentConfig(this.config, found.dep.tenant, found.dep.name), 'vm_group').find(
      (g) => childOf(g, 'name')?.text.trim() === found.vm.group,
    );
    const steps = groupRecovers(group)
      ? autoRecoverySteps(this.ctx, found.dep, found.vm, outcome)
      : vmDownSteps(this.ctx, found.dep, found.vm);
    this.runInitiated(found.dep, steps);
  }

  /**
   * Simulator control: ESC's monitors scale `vmGroup` of a deployment out by one VM or in by one (its newest VM),
   * as an elastic scaling workflow ({@link elasticScaleOutSteps}, {@link elasticScaleInSteps}). Documented
   * assumption: the guide (~4851, ~4953) says only that the monitors trigger scaling, not how `scaling/elastic`,
   * `min_active` or `max_active` bound it, so this control checks none of them; the caller asks only what ESC could do.
   */
  elasticScale(direction: 'out' | 'in', tenant: string, deployment: string, vmGroup: string, outcome: InitiatedOutcome = 'success'): void {
    const dep = this.state.deployment(tenant, deployment);
    if (!dep) throw new Error(`no deployment ${deployment} in tenant ${tenant}`);
    const members = dep.vms.filter((v) => v.group === vmGroup);
    const vm = members[members.length - 1];
    if (!vm) throw new Error(`deployment ${deployment} has no VM in group ${vmGroup}`);
    const steps = direction === 'out' ? elasticScaleOutSteps(this.ctx, dep, vm, outcome) : elasticScaleInSteps(this.ctx, dep, vm, outcome);
    this.runInitiated(dep, steps);
  }

  private findVmById(vmId: string): { vm: VmInstance; dep: DeploymentState } | undefined {
    for (const t of this.state.tenants.values())
      for (const dep of t.deployments.values()) {
        const vm = dep.vms.find((v) => v.vmId === vmId);
        if (vm) return { vm, dep };
      }
    return undefined;
  }

  /** An ESC-initiated workflow: not a configuration change, so it does not mark the deployment busy; an undeploy cancels it. */
  private runInitiated(dep: DeploymentState, steps: Step[]): void {
    this.run({ key: keyOf(dep), deployment: dep.name, steps });
  }

  private activate(w: Workflow): void {
    switch (w.kind) {
      case 'create-tenant':
        this.ensureTenant(w.tenant);
        this.state.tenants.get(w.tenant)!.creatingIn = `create-tenant:${w.tenant}`;
        return this.run({ steps: [createTenantStep(this.ctx, w.tenant)] });
      case 'delete-tenant':
        return this.run({ steps: [deleteTenantStep(this.ctx, w.tenant)] });
      case 'deploy':
        return this.deploy(w.tenant, w.deployment, w.config, 'deploy');
      case 'update':
        return this.deploy(w.tenant, w.deployment, w.config, 'update');
      case 'undeploy':
        return this.undeploy(w.tenant, w.deployment);
      case 'service-action': {
        const dep = this.state.deployment(w.tenant, w.deployment)!;
        return this.runOn(dep, serviceActionSteps(this.ctx, dep, w.action));
      }
      case 'vm-action': {
        const { dep, vm } = this.state.findVm(w.vmName)!;
        return this.runOn(dep, vmActionSteps(this.ctx, dep, vm, w.action));
      }
      default:
        return this.run({ steps: [resourceStep(w, this.state, this.ids)] });
    }
  }

  private ensureTenant(name: string): boolean {
    if (this.state.tenants.has(name)) return false;
    this.state.tenants.set(name, { name, tenantId: this.ids.tenantId(), active: false, networks: new Map(), deployments: new Map() });
    return true;
  }

  private deploy(tenant: string, name: string, config: XmlElement, kind: 'deploy' | 'update'): void {
    const created = this.ensureTenant(tenant);
    const t = this.state.tenants.get(tenant)!;
    // New, or an earlier CREATE_TENANT failed or was cancelled; not when one is still to come.
    const configTenantIsNew = created || (!t.active && t.creatingIn === undefined);
    let dep = this.state.deployment(tenant, name);
    if (kind === 'deploy' || !dep) {
      dep = {
        name,
        tenant,
        deploymentId: `${tenant}${name}`,
        depId: this.ids.uuid(),
        state: 'SERVICE_DEPLOYING_STATE',
        groups: childrenOf(config, 'vm_group').map((g) => ({ name: childOf(g, 'name')?.text.trim() ?? '', count: minActiveOf(g) })),
        vms: [],
        busy: false,
      };
      t.deployments.set(name, dep);
      if (configTenantIsNew) t.creatingIn = keyOf(dep);
      return this.runOn(dep, refusedByVim(deploySteps(this.ctx, dep, config, configTenantIsNew), config, this.state));
    }
    dep.state = 'SERVICE_UPDATING_STATE';
    this.runOn(dep, updateSteps(this.ctx, dep, config));
  }

  private undeploy(tenant: string, name: string): void {
    const dep = this.state.deployment(tenant, name);
    if (!dep) return;
    this.runner.cancel(keyOf(dep));
    const t = this.state.tenants.get(tenant);
    // The cancelled deploy may have carried the tenant's pending CREATE_TENANT: the next deployment sends it.
    if (t?.creatingIn === keyOf(dep)) t.creatingIn = undefined;
    dep.state = 'SERVICE_UNDEPLOYING_STATE';
    for (const vm of dep.vms) vm.state = 'VM_UNDEPLOYING_STATE';
    this.runOn(dep, undeploySteps(this.ctx, dep));
  }

  private runOn(dep: DeploymentState, steps: Step[]): void {
    dep.busy = true;
    const final = steps[steps.length - 1];
    this.run({
      key: keyOf(dep),
      deployment: dep.name,
      steps,
      abort: (failed) => {
        if (!final || final.type.startsWith('VM_RECOVERY')) return undefined;
        return failed === final ? undefined : final.fail();
      },
      finish: () => {
        dep.busy = false;
        if (dep.state === 'SERVICE_DEPLOYING_STATE' || dep.state === 'SERVICE_UPDATING_STATE') dep.state = 'SERVICE_ERROR_STATE';
      },
    });
  }

  private run(job: Job): void {
    this.runner.start(job);
  }
}

/** The configuration of one deployment in the running esc_datamodel. */
function deploymentConfig(config: XmlElement, tenant: string, name: string): XmlElement | undefined {
  const t = childOf(config, 'tenants')?.children.find((x) => childOf(x, 'name')?.text.trim() === tenant);
  return childrenOf(childOf(t, 'deployments'), 'deployment').find((d) => childOf(d, 'name')?.text.trim() === name);
}

/** Fails the first VM_DEPLOYED of a vm_group whose locator names a project the VIM lacks (see unknownProjectOf). */
function refusedByVim(steps: Step[], config: XmlElement, state: EscState): Step[] {
  const refused = unknownProjectOf(config, state);
  if (refused) {
    const first = steps.find((s) => s.type === 'VM_DEPLOYED' && s.vm?.group === refused.group);
    if (first) first.failsWith = refused.message;
  }
  return steps;
}

function keyOf(dep: DeploymentState): string {
  return `${dep.tenant}\u0000${dep.name}`;
}
