import { xml, type XmlNode } from '../../xml';
import { networkNameFor } from './deployment-naming';
import type { MappingProblem } from './mapping-errors';
import type { VlModel, VnfdModel } from './vnfd-model';

/** A subnet as the guide's Deploy Service example gives it (lines ~2147-2154): address and netmask, not a CIDR. */
export interface SubnetPlan {
  name: string;
  ipVersion: 'ipv4';
  dhcp: boolean;
  address: string;
  netmask: string;
  gateway: string;
}

/** A network ESC creates with the deployment and deletes with it (guide "Deploy Service", "ephemeral networks"). */
export interface NetworkPlan {
  vlId: string;
  name: string;
  subnet: SubnetPlan;
}

/**
 * The deployment networks of a VNF: one per internal virtual link some CP needs, created on first use.
 * A link the VNFD does not describe, or one without an IPv4 CIDR, is a problem naming the link and the
 * input that would give an existing network instead.
 */
export class DeploymentNetworks {
  private readonly byVl = new Map<string, NetworkPlan | undefined>();

  constructor(
    private readonly vnfd: VnfdModel,
    private readonly deploymentName: string,
  ) {}

  /** The network name for a CP on internal link `vlId`, or undefined after recording why there is none. */
  networkFor(vlId: string, vduId: string, problems: MappingProblem[]): string | undefined {
    if (!this.byVl.has(vlId)) {
      const vl = this.vnfd.vls.find((v) => v.vlId === vlId);
      const plan = vl ? planNetwork(vl, this.deploymentName, vduId, problems) : undefined;
      if (!vl)
        problems.push({
          vduId,
          field: `vls.${vlId}`,
          message: `internal virtual link ${vlId} is not described in the VNFD (or set inputs '${vlId}.network')`,
        });
      this.byVl.set(vlId, plan);
    }
    return this.byVl.get(vlId)?.name;
  }

  /** The networks planned so far, in first-use order. */
  plans(): NetworkPlan[] {
    return [...this.byVl.values()].filter((p): p is NetworkPlan => p !== undefined);
  }
}

function planNetwork(vl: VlModel, deploymentName: string, vduId: string, problems: MappingProblem[]): NetworkPlan | undefined {
  const where = `internal virtual link ${vl.vlId}`;
  const problem = (message: string): undefined => {
    problems.push({ vduId, field: `vls.${vl.vlId}.l3_protocol_data`, message: `${where} ${message} (or set inputs '${vl.vlId}.network')` });
    return undefined;
  };
  const l3 = vl.l3;
  if (l3?.ipVersion !== undefined && l3.ipVersion !== 'ipv4') return problem(`asks for ${l3.ipVersion}; only IPv4 subnets are created`);
  if (!l3?.cidr) return problem('has no CIDR in its protocol data');
  const cidr = parseIpv4Cidr(l3.cidr);
  if (!cidr) return problem(`has CIDR ${l3.cidr}, not an IPv4 address/prefix of 8 to 30 bits`);
  let gateway = toDotted(cidr.network + 1);
  if (l3.gatewayIp !== undefined) {
    const gw = parseIpv4(l3.gatewayIp);
    if (gw === undefined || (gw & cidr.mask) >>> 0 !== cidr.network) return problem(`has gateway ${l3.gatewayIp} outside ${l3.cidr}`);
    gateway = toDotted(gw);
  }
  const name = networkNameFor(deploymentName, vl.vlId);
  return {
    vlId: vl.vlId,
    name,
    subnet: {
      name: `${name}-subnet`,
      ipVersion: 'ipv4',
      dhcp: l3.dhcpEnabled ?? true,
      address: toDotted(cidr.network),
      netmask: toDotted(cidr.mask),
      gateway,
    },
  };
}

function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

function parseIpv4Cidr(text: string): { network: number; mask: number } | undefined {
  const [addr, len, ...rest] = text.trim().split('/');
  const ip = parseIpv4(addr ?? '');
  const bits = Number(len);
  if (ip === undefined || rest.length > 0 || !/^\d{1,2}$/.test(len ?? '') || bits < 8 || bits > 30) return undefined;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return { network: (ip & mask) >>> 0, mask };
}

function toDotted(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/**
 * `<networks>` of a deployment, element names and order as in the guide's Deploy Service example
 * (lines ~2145-2156): network name, shared, admin_state, and one subnet with name, ipversion, dhcp,
 * address, netmask, gateway. Undefined when there is none.
 */
export function buildNetworksXml(plans: NetworkPlan[]): XmlNode | undefined {
  if (plans.length === 0) return undefined;
  return xml(
    'networks',
    {},
    ...plans.map((n) =>
      xml(
        'network',
        {},
        xml('name', {}, n.name),
        xml('shared', {}, false),
        xml('admin_state', {}, true),
        xml(
          'subnet',
          {},
          xml('name', {}, n.subnet.name),
          xml('ipversion', {}, n.subnet.ipVersion),
          xml('dhcp', {}, n.subnet.dhcp),
          xml('address', {}, n.subnet.address),
          xml('netmask', {}, n.subnet.netmask),
          xml('gateway', {}, n.subnet.gateway),
        ),
      ),
    ),
  );
}
