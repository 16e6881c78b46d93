import { childOf, childrenOf, type XmlElement } from '../xml';
import type { DeploymentState, EscState, NetworkState, VmInstance } from './esc-state';
import { buildVmName, type IdFactory } from './id-factory';

/** Network shared by all tenants when a VM interface names a network the deployment does not define. */
interface SharedNetwork {
  netId: string;
  subnetId: string;
  address: string;
  /** The .1 of its /24. */
  gateway: string;
}

/** What a vm_group asks of each of its VMs, read once per group element (elements are never changed). */
interface GroupPlan {
  name: string;
  interfaces: { nicid: string; network: string; ip?: string; mac?: string }[];
}

const groupPlans = new WeakMap<XmlElement, GroupPlan>();

function planOf(group: XmlElement): GroupPlan {
  let plan = groupPlans.get(group);
  if (plan === undefined) {
    plan = {
      name: childOf(group, 'name')?.text.trim() ?? '',
      interfaces: childrenOf(childOf(group, 'interfaces'), 'interface').map((i) => ({
        nicid: childOf(i, 'nicid')?.text.trim() ?? '0',
        network: childOf(i, 'network')?.text.trim() ?? '',
        ip: childOf(i, 'ip_address')?.text.trim(),
        mac: childOf(i, 'mac_address')?.text.trim(),
      })),
    };
    groupPlans.set(group, plan);
  }
  return plan;
}

/** Creates VM instances with ports on the networks their vm_group interfaces name. */
export class VmBuilder {
  private readonly shared = new Map<string, SharedNetwork>();
  private sharedCounter = 0;

  constructor(
    private readonly ids: IdFactory,
    private readonly state: EscState,
  ) {}

  private network(tenant: string, name: string): NetworkState | SharedNetwork {
    const own = this.state.tenants.get(tenant)?.networks.get(name);
    if (own) return own;
    let s = this.shared.get(name);
    if (!s) {
      const address = `192.168.${this.sharedCounter++ % 250}.0`;
      s = { netId: this.ids.uuid(), subnetId: this.ids.uuid(), address, gateway: `${address.split('.').slice(0, 3).join('.')}.1` };
      this.shared.set(name, s);
    }
    return s;
  }

  /** A new VM of `group` (not yet added to the state), named and addressed as ESC would. */
  build(dep: DeploymentState, group: XmlElement, index: number, name?: string): VmInstance {
    const plan = planOf(group);
    const vmName = name ?? buildVmName(dep.name, plan.name, index, this.ids.uuid());
    const interfaces = plan.interfaces.map((i) => {
      const net = this.network(dep.tenant, i.network);
      return {
        nicid: i.nicid,
        portId: this.ids.uuid(),
        networkName: i.network,
        networkId: net.netId,
        subnetId: net.subnetId,
        ip: i.ip || this.ids.ip(net.address),
        mac: i.mac || this.ids.mac(),
        netmask: 'netmask' in net ? net.netmask : '255.255.255.0',
        gateway: net.gateway,
      };
    });
    return {
      vmId: this.ids.uuid(),
      name: vmName,
      group: plan.name,
      hostId: this.ids.hostId(),
      hostname: this.ids.hostname(),
      state: 'VM_DEPLOYING_STATE',
      interfaces,
    };
  }

  /** Ephemeral networks a deployment defines (guide, "Deploy Service": networks/network/subnet). */
  networksOf(config: XmlElement, deployment: string): NetworkState[] {
    return childrenOf(childOf(config, 'networks'), 'network').map((n) => {
      const subnet = childOf(n, 'subnet');
      const address = childOf(subnet, 'address')?.text.trim() || '10.0.0.0';
      return {
        name: childOf(n, 'name')?.text.trim() ?? '',
        netId: this.ids.uuid(),
        subnetName: childOf(subnet, 'name')?.text.trim(),
        subnetId: this.ids.uuid(),
        ipVersion: childOf(subnet, 'ipversion')?.text.trim() === 'ipv6' ? 'ipv6' : 'ipv4',
        dhcp: childOf(subnet, 'dhcp')?.text.trim() !== 'false',
        address,
        netmask: childOf(subnet, 'netmask')?.text.trim() || '255.255.255.0',
        gateway: childOf(subnet, 'gateway')?.text.trim() || address.replace(/\.\d+$/, '.1'),
        ephemeralOf: deployment,
      };
    });
  }
}
