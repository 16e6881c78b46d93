import { childOf, childrenOf, type XmlElement } from '../xml';
import { minActiveOf } from './config-validator';
import type { DeploymentState, EscState, NetworkState, VmInstance } from './esc-state';
import type { EventFactory } from './event-factory';
import type { VmBuilder } from './vm-builder';
import type { EscEvent } from './esc-event-writer';
import type { Step } from './workflow-runner';

/** What step builders need. */
export interface StepContext {
  state: EscState;
  vms: VmBuilder;
  events: EventFactory;
}

/** CREATE_TENANT, sent when a tenant is new (guide, "Create Tenant"). */
export function createTenantStep(ctx: StepContext, tenant: string): Step {
  return {
    type: 'CREATE_TENANT',
    delay: 'tenant',
    ok: () => {
      const t = ctx.state.tenants.get(tenant);
      if (t) {
        t.active = true;
        t.creatingIn = undefined;
      }
      return ctx.events.tenant(tenant, 'CREATE_TENANT', 'Tenant successfully created');
    },
    fail: (m) => {
      const t = ctx.state.tenants.get(tenant);
      if (t) t.creatingIn = undefined;
      return ctx.events.tenant(tenant, 'CREATE_TENANT', m ?? 'Tenant creation failed', false);
    },
  };
}

/** DELETE_TENANT (guide, "Delete Tenant"): the tenant leaves opdata whether or not the VIM agreed. */
export function deleteTenantStep(ctx: StepContext, tenant: string): Step {
  const drop = (): void => void ctx.state.tenants.delete(tenant);
  return {
    type: 'DELETE_TENANT',
    delay: 'tenant',
    ok: () => {
      const e = ctx.events.tenant(tenant, 'DELETE_TENANT', 'Tenant successfully deleted');
      drop();
      return e;
    },
    fail: (m) => {
      const e = ctx.events.tenant(tenant, 'DELETE_TENANT', m ?? 'Tenant deletion failed', false);
      drop();
      return e;
    },
  };
}

function subnetNames(n: NetworkState): { network: string; subnet?: string } {
  return { network: n.name, subnet: n.subnetName };
}

/**
 * CREATE_NETWORK for every ephemeral network, then CREATE_SUBNET for every subnet, before any VM (guide, Deploy
 * Service "Configuration Activation", lines ~2274-2281: the dependent workflows are 5.1.3 Create Network then 5.1.5
 * Create Subnet, and "Workflows of different types are processed in sequence"; "On Success", ~2287-2288: a
 * CREATE_NETWORK per network, a CREATE_SUBNET per subnet). Documented assumption: the same-type workflows, which ESC
 * runs in parallel, finish here in the order the deployment lists its networks.
 */
function networkSteps(ctx: StepContext, dep: DeploymentState, nets: NetworkState[]): Step[] {
  const tenant = (): Map<string, NetworkState> | undefined => ctx.state.tenants.get(dep.tenant)?.networks;
  const networks: Step[] = nets.map((n) => ({
    type: 'CREATE_NETWORK',
    delay: 'network',
    ok: () => {
      tenant()?.set(n.name, n);
      return ctx.events.network(dep, 'CREATE_NETWORK', 'Network creation completed successfully', true, { network: n.name });
    },
    fail: (m) => ctx.events.network(dep, 'CREATE_NETWORK', m ?? 'Network creation failed', false, { network: n.name }),
  }));
  const subnets: Step[] = nets
    .filter((n) => n.subnetName)
    .map((n) => ({
      type: 'CREATE_SUBNET',
      delay: 'network',
      ok: () =>
        ctx.events.network(
          dep,
          'CREATE_SUBNET',
          `Subnet creation completed successfully, subnet ID: [${n.subnetId}]`,
          true,
          subnetNames(n),
        ),
      fail: (m) => ctx.events.network(dep, 'CREATE_SUBNET', m ?? 'Subnet creation failed', false, subnetNames(n)),
    }));
  return [...networks, ...subnets];
}

/*
 * The per-VM steps are small classes rather than objects of closures: a deployment of N VMs holds its 2N steps
 * until it has run, and closures would take several times the memory (and garbage collection work).
 */

/** VM_DEPLOYED of one new VM. */
class VmDeployedStep implements Step {
  readonly type = 'VM_DEPLOYED';
  readonly delay = 'vmDeployed';
  constructor(
    private readonly ctx: StepContext,
    private readonly dep: DeploymentState,
    readonly vm: VmInstance,
  ) {}

  ok(): EscEvent {
    this.vm.state = 'VM_BOOTING_STATE';
    this.ctx.state.addVm(this.dep, this.vm);
    return this.ctx.events.vm(this.dep, this.vm, 'VM_DEPLOYED', `VM Deployed in a service deployment. VM Generated ID: [${this.vm.name}]`);
  }

  fail(m?: string): EscEvent {
    this.vm.state = 'VM_ERROR_STATE';
    this.ctx.state.addVm(this.dep, this.vm);
    return this.ctx.events.vm(this.dep, this.vm, 'VM_DEPLOYED', m ?? `VM deployment failed. VM Generated ID: [${this.vm.name}]`, false);
  }
}

/** VM_ALIVE of one new VM. */
class VmAliveStep implements Step {
  readonly type = 'VM_ALIVE';
  readonly delay = 'vmAlive';
  constructor(
    private readonly ctx: StepContext,
    private readonly dep: DeploymentState,
    readonly vm: VmInstance,
  ) {}

  ok(): EscEvent {
    this.vm.state = 'VM_ALIVE_STATE';
    return this.ctx.events.vm(
      this.dep,
      this.vm,
      'VM_ALIVE',
      `VM_Alive event received during deployment, VM Generated ID: [${this.vm.name}]`,
    );
  }

  fail(m?: string): EscEvent {
    this.vm.state = 'VM_ERROR_STATE';
    return this.ctx.events.vm(
      this.dep,
      this.vm,
      'VM_ALIVE',
      m ?? `VM boot failed: no VM_ALIVE within bootup_time, VM Generated ID: [${this.vm.name}]`,
      false,
    );
  }
}

/** VM_UNDEPLOYED of one VM. */
class VmUndeployedStep implements Step {
  readonly type = 'VM_UNDEPLOYED';
  readonly delay = 'vmUndeployed';
  constructor(
    private readonly ctx: StepContext,
    private readonly dep: DeploymentState,
    readonly vm: VmInstance,
  ) {}

  ok(): EscEvent {
    const e = this.ctx.events.vm(this.dep, this.vm, 'VM_UNDEPLOYED', 'OpenStack Driver: VM successfully deleted');
    this.ctx.state.removeVm(this.dep, this.vm);
    return e;
  }

  fail(m?: string): EscEvent {
    const e = this.ctx.events.vm(this.dep, this.vm, 'VM_UNDEPLOYED', m ?? 'OpenStack Driver: VM deletion failed', false);
    this.ctx.state.removeVm(this.dep, this.vm);
    return e;
  }
}

/** VM_DEPLOYED then (after all are created) VM_ALIVE for each new VM (guide, "Deploy Service"). */
export function vmUpSteps(ctx: StepContext, dep: DeploymentState, vms: VmInstance[]): Step[] {
  const steps = new Array<Step>(2 * vms.length);
  for (let i = 0; i < vms.length; i++) {
    steps[i] = new VmDeployedStep(ctx, dep, vms[i]);
    steps[vms.length + i] = new VmAliveStep(ctx, dep, vms[i]);
  }
  return steps;
}

/** VM_UNDEPLOYED for each VM (guide, "Un-deploy Service"). */
export function vmDownSteps(ctx: StepContext, dep: DeploymentState, vms: VmInstance[]): Step[] {
  return vms.map((vm) => new VmUndeployedStep(ctx, dep, vm));
}

/** The VMs a vm_group config asks for, numbered after the ones that exist. */
export function plannedVms(ctx: StepContext, dep: DeploymentState, group: XmlElement, existing: number): VmInstance[] {
  const out: VmInstance[] = [];
  for (let i = existing; i < minActiveOf(group); i++) out.push(ctx.vms.build(dep, group, i));
  return out;
}

/** All steps of a Deploy Service activation, ending with SERVICE_ALIVE. */
export function deploySteps(ctx: StepContext, dep: DeploymentState, config: XmlElement, tenantIsNew: boolean): Step[] {
  const steps: Step[] = tenantIsNew ? [createTenantStep(ctx, dep.tenant)] : [];
  steps.push(...networkSteps(ctx, dep, ctx.vms.networksOf(config, dep.name)));
  const vms = childrenOf(config, 'vm_group').flatMap((g) => plannedVms(ctx, dep, g, 0));
  for (const step of vmUpSteps(ctx, dep, vms)) steps.push(step);
  steps.push(
    finalStep(
      ctx,
      dep,
      'SERVICE_ALIVE',
      'Service group deployment completed successfully!',
      'Service group deployment failed',
      'SERVICE_ACTIVE_STATE',
    ),
  );
  return steps;
}

/** The closing SERVICE_* step of a workflow, setting the service state. */
export function finalStep(
  ctx: StepContext,
  dep: DeploymentState,
  type: string,
  okMsg: string,
  failMsg: string,
  okState: DeploymentState['state'],
): Step {
  return {
    type,
    delay: 'service',
    ok: () => {
      dep.state = okState;
      return ctx.events.service(dep, type, okMsg);
    },
    fail: (m) => {
      dep.state = 'SERVICE_ERROR_STATE';
      return ctx.events.service(dep, type, m ?? failMsg, false);
    },
  };
}

/**
 * Undeploy: VM_UNDEPLOYED per VM, then DELETE_SUBNET for every subnet, then DELETE_NETWORK for every ephemeral
 * network, then SERVICE_UNDEPLOYED (guide, Un-deploy Service "On Success", lines ~2520-2522; "Handling Recovery
 * Failures", ~4850, lists the same order). Documented assumption (the guide is silent): a network leaves opdata even
 * when its DELETE_NETWORK fails, as the deployment that owned it does.
 */
export function undeploySteps(ctx: StepContext, dep: DeploymentState): Step[] {
  const steps = vmDownSteps(ctx, dep, [...dep.vms]);
  const nets = ctx.state.tenants.get(dep.tenant)?.networks;
  const owned = [...(nets?.values() ?? [])].filter((x) => x.ephemeralOf === dep.name);
  for (const n of owned.filter((x) => x.subnetName)) {
    steps.push({
      type: 'DELETE_SUBNET',
      delay: 'network',
      ok: () => ctx.events.network(dep, 'DELETE_SUBNET', 'OpenStack Driver: Subnet successfully deleted', true, subnetNames(n)),
      fail: (m) => ctx.events.network(dep, 'DELETE_SUBNET', m ?? 'OpenStack Driver: Subnet deletion failed', false, subnetNames(n)),
    });
  }
  for (const n of owned) {
    const drop = (): void => void nets?.delete(n.name);
    steps.push({
      type: 'DELETE_NETWORK',
      delay: 'network',
      ok: () => (
        drop(),
        ctx.events.network(dep, 'DELETE_NETWORK', 'OpenStack Driver: Network successfully deleted', true, { network: n.name })
      ),
      fail: (m) => (
        drop(),
        ctx.events.network(dep, 'DELETE_NETWORK', m ?? 'OpenStack Driver: Network deletion failed', false, { network: n.name })
      ),
    });
  }
  const gone = (): void => ctx.state.removeDeployment(dep);
  steps.push({
    type: 'SERVICE_UNDEPLOYED',
    delay: 'service',
    ok: () => {
      const e = ctx.events.service(dep, 'SERVICE_UNDEPLOYED', 'Service group undeployment completed successfully');
      gone();
      return e;
    },
    fail: (m) => {
      const e = ctx.events.service(dep, 'SERVICE_UNDEPLOYED', m ?? 'Service group undeployment failed', false);
      gone();
      return e;
    },
  });
  return steps;
}

/** Update: VMs added / removed to match each vm_group's min_active and the groups present, then SERVICE_UPDATED. */
export function updateSteps(ctx: StepContext, dep: DeploymentState, config: XmlElement): Step[] {
  const groups = childrenOf(config, 'vm_group');
  const names = new Set(groups.map((g) => childOf(g, 'name')?.text.trim() ?? ''));
  const removed = dep.vms.filter((v) => !names.has(v.group));
  const added: VmInstance[] = [];
  for (const g of groups) {
    const name = childOf(g, 'name')?.text.trim() ?? '';
    const current = dep.vms.filter((v) => v.group === name);
    const raw = childOf(childOf(g, 'scaling'), 'min_active')?.text.trim();
    const want = raw ? Number(raw) : Math.max(current.length, 1);
    if (want < current.length) removed.push(...current.slice(want));
    else added.push(...plannedVms(ctx, dep, g, current.length));
  }
  dep.groups = groups.map((g) => ({ name: childOf(g, 'name')?.text.trim() ?? '', count: minActiveOf(g) }));
  return [
    ...vmDownSteps(ctx, dep, removed),
    ...vmUpSteps(ctx, dep, added),
    finalStep(
      ctx,
      dep,
      'SERVICE_UPDATED',
      'Service group update completed successfully',
      'Service group update failed',
      'SERVICE_ACTIVE_STATE',
    ),
  ];
}
