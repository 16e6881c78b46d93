import { xml, type XmlNode } from '../../xml';
import { inputCount, inputFlag, inputString, type DeploymentInputs } from './deployment-inputs';
import { buildNetworksXml, DeploymentNetworks, type NetworkPlan } from './deployment-networks';
import { deploymentPath } from './edit-builders';
import { vmGroupNameFor } from './deployment-naming';
import { VnfdMappingError, type MappingProblem } from './mapping-errors';
import type { Placement } from './placement';
import { buildVmGroupXml, type VmGroupInterface, type VmGroupPlan } from './vm-group-builder';
import type { CpModel, VduModel, VnfdModel } from './vnfd-model';

/** One entry of the instantiate request's `extVirtualLink[]`. */
export interface ExtVirtualLinkInput {
  cpdId: string;
  resourceId: string;
  resourceSubnetId?: string;
  vlInstanceId: string;
}

export interface DeploymentDefaults {
  /** Flavor for VDUs whose VNFD gives neither a flavor nor compute requirements. */
  flavor?: string;
  /** `bootup_time` when neither the VNFD nor inputs give one (default 600 s, as in the guide). */
  bootupTimeSec?: number;
  rebootTimeSec?: number;
  recoveryWaitTimeSec?: number;
}

export interface BuildDeploymentInput {
  tenant: string;
  deploymentName: string;
  vnfd: VnfdModel;
  extVirtualLinks: ExtVirtualLinkInput[];
  /** `additionalParam.inputs`; keys in {@link DeploymentInputs}. */
  inputs: DeploymentInputs;
  defaults?: DeploymentDefaults;
  /** The granted VIM connector and project, given to every vm_group as its locator. */
  placement?: Placement;
  /** ESC recovers failed VMs itself (default true); false leaves the recovery action out of every VM_ALIVE rule. */
  autoRecovery?: boolean;
}

/** A flavor derived from a VDU's compute requirements; create it first (guide: "Create Flavor"). */
export interface FlavorSpec {
  name: string;
  vcpus: number;
  memoryMb: number;
  rootDiskMb: number;
}

export interface DeploymentPlan {
  /**
   * Builds the `<esc_datamodel>` subtree to send as the edit-config `<config>` content, when it is sent: the plan
   * lives as long as its instantiate job, the tree only as long as the request.
   */
  config: () => XmlNode;
  vmGroups: VmGroupPlan[];
  /** Networks (with their subnets) ESC creates with the deployment for the VNFD's internal virtual links. */
  networks: NetworkPlan[];
  /** Flavors the deployment refers to that were derived from the VNFD (none when all were named). */
  flavors: FlavorSpec[];
}

const DEFAULT_BOOTUP_TIME_SEC = 600;

/**
 * Maps a VNFD to one ESC deployment (guide: "Deploy Service", lines ~2131-2266): deployment networks for the
 * internal virtual links, one vm_group per VDU with image, flavor, interfaces (external CPs on their
 * extVirtualLink's network, internal ones on the deployment networks), VM_ALIVE KPI and rules (plus the load
 * KPIs of an elastic group), day-0 config_data and min/max_active from the instantiation level.
 * Overrides: {@link DeploymentInputs}.
 * @throws VnfdMappingError listing every VDU that lacks something ESC needs, before anything is sent.
 */
export function buildDeployment(input: BuildDeploymentInput): DeploymentPlan {
  const problems: MappingProblem[] = [];
  if (input.vnfd.vdus.length === 0) problems.push({ field: 'vdus', message: `VNFD ${input.vnfd.vnfdId} has no VDUs` });
  const flavors = new Map<string, FlavorSpec>();
  const networks = new DeploymentNetworks(input.vnfd, input.deploymentName);
  const vmGroups = input.vnfd.vdus.map((vdu) => planVmGroup(input, vdu, problems, flavors, networks));
  const names = new Set<string>();
  for (const g of vmGroups) {
    if (names.has(g.name))
      problems.push({ vduId: g.vduId, field: 'vduId', message: `VDU ${g.vduId}: vm_group name ${g.name} is not unique` });
    names.add(g.name);
  }
  if (problems.length > 0) throw new VnfdMappingError(problems);
  const { tenant, deploymentName } = input;
  const networkPlans = networks.plans();
  const config = (): XmlNode =>
    deploymentPath(tenant, {}, [xml('name', {}, deploymentName), buildNetworksXml(networkPlans), ...vmGroups.map(buildVmGroupXml)]);
  return { config, vmGroups, networks: networkPlans, flavors: [...flavors.values()] };
}

function planVmGroup(
  input: BuildDeploymentInput,
  vdu: VduModel,
  problems: MappingProblem[],
  flavors: Map<string, FlavorSpec>,
  networks: DeploymentNetworks,
): VmGroupPlan {
  const { inputs, defaults = {} } = input;
  const id = vdu.vduId;
  const image = inputString(inputs, id, 'image', problems) ?? vdu.image?.name;
  if (!image) {
    problems.push({
      vduId: id,
      field: 'image',
      message: `VDU ${id} has no software image (no image_file or SwImage artifact; or set inputs '${id}.image')`,
    });
  }
  const flavor = resolveFlavor(vdu, inputs, defaults, problems, flavors);
  const interfaces = planInterfaces(input, vdu, problems, networks);
  const counts = planCounts(input.vnfd, vdu, inputs, problems);
  return {
    name: vmGroupNameFor(id),
    vduId: id,
    image: image ?? '',
    flavor: flavor ?? '',
    ...counts,
    bootupTimeSec: inputCount(inputs, id, 'bootup_time', problems) ?? vdu.bootupTime ?? defaults.bootupTimeSec ?? DEFAULT_BOOTUP_TIME_SEC,
    rebootTimeSec: inputCount(inputs, id, 'reboot_time', problems) ?? defaults.rebootTimeSec,
    recoveryWaitTimeSec: defaults.recoveryWaitTimeSec ?? 0,
    autoRecovery: input.autoRecovery ?? true,
    interfaces,
    day0: planDay0(vdu, problems),
    ...(input.placement ? { locator: input.placement } : {}),
  };
}

/** Day-0 files as URLs (guide config_data `<file>`, lines ~2247-2252); inline text has no place in the guide's form. */
function planDay0(vdu: VduModel, problems: MappingProblem[]): VmGroupPlan['day0'] {
  const out: VmGroupPlan['day0'] = [];
  for (const c of vdu.day0) {
    if ('file' in c) out.push(c);
    else
      problems.push({
        vduId: vdu.vduId,
        field: 'day0',
        message: `VDU ${vdu.vduId} day-0 ${c.dst} is inline text; ESC takes day-0 files by URL (give it as day0 {dst, file})`,
      });
  }
  return out;
}

/** Flavor: inputs, then a name in the VNFD, then one derived from compute requirements, then the default. */
function resolveFlavor(
  vdu: VduModel,
  inputs: DeploymentInputs,
  defaults: DeploymentDefaults,
  problems: MappingProblem[],
  flavors: Map<string, FlavorSpec>,
): string | undefined {
  const named = inputString(inputs, vdu.vduId, 'flavor', problems) ?? vdu.flavorName;
  if (named) return named;
  const cpu = vdu.compute?.numVirtualCpu;
  const mem = vdu.compute?.virtualMemMiB;
  if (cpu !== undefined && mem !== undefined && cpu > 0 && mem > 0) {
    const disk = vdu.compute?.diskGiB ?? 0;
    const spec = { name: `onap-${cpu}vcpu-${mem}mb-${disk}gb`, vcpus: cpu, memoryMb: mem, rootDiskMb: disk * 1024 };
    flavors.set(spec.name, spec);
    return spec.name;
  }
  if (defaults.flavor) return defaults.flavor;
  const lacking = cpu === undefined || cpu <= 0 ? 'number of virtual CPUs' : 'virtual memory size';
  problems.push({
    vduId: vdu.vduId,
    field: 'compute',
    message: `VDU ${vdu.vduId} has no flavor (compute requirements lack the ${lacking}; or set inputs '${vdu.vduId}.flavor')`,
  });
  return undefined;
}

/**
 * A NIC per CP. Network, first found: inputs `<cpdId>.network`, the CP's extVirtualLink, inputs
 * `<vlId>.network`, the deployment network of the CP's internal virtual link.
 */
function planInterfaces(
  input: BuildDeploymentInput,
  vdu: VduModel,
  problems: MappingProblem[],
  networks: DeploymentNetworks,
): VmGroupInterface[] {
  if (vdu.cps.length === 0) {
    problems.push({
      vduId: vdu.vduId,
      field: 'cps',
      message: `VDU ${vdu.vduId} has no connection points (ESC needs at least one interface to monitor VM_ALIVE)`,
    });
  }
  return vdu.cps.map((cp, nicid) => {
    const link = findExtLink(input.extVirtualLinks, cp);
    const internal = !cp.external && link === undefined && cp.virtualLinkId !== undefined;
    const network =
      inputString(input.inputs, cp.cpdId, 'network', problems) ??
      link?.resourceId ??
      (cp.virtualLinkId === undefined ? undefined : inputString(input.inputs, cp.virtualLinkId, 'network', problems)) ??
      (internal ? networks.networkFor(cp.virtualLinkId!, vdu.vduId, problems) : undefined);
    if (!network && !internal) problems.push({ vduId: vdu.vduId, field: `cps.${cp.cpdId}`, message: missingNetwork(vdu.vduId, cp) });
    const itf: VmGroupInterface = { nicid, cpdId: cp.cpdId, network: network ?? '', external: cp.external || link !== undefined };
    if (cp.virtualLinkId) itf.virtualLinkId = cp.virtualLinkId;
    if (link) itf.vlInstanceId = link.vlInstanceId;
    return itf;
  });
}

/** NSLCM names the CP by its id, by its `vnf_exposed` key, or by the virtual link key. */
function findExtLink(links: ExtVirtualLinkInput[], cp: CpModel): ExtVirtualLinkInput | undefined {
  const keys = [cp.cpdId, cp.externalKey, cp.virtualLinkId].filter((k): k is string => k !== undefined);
  for (const key of keys) {
    const link = links.find((l) => l.cpdId === key && l.resourceId);
    if (link) return link;
  }
  return undefined;
}

function missingNetwork(vduId: string, cp: CpModel): string {
  const names = [cp.cpdId, cp.externalKey].filter(Boolean).join(' or ');
  if (cp.external) return `VDU ${vduId} CP ${cp.cpdId} has no network (no extVirtualLink with cpdId ${names})`;
  return `VDU ${vduId} CP ${cp.cpdId} has no virtual link and no network (set inputs '${cp.cpdId}.network')`;
}

/**
 * min/max_active and the scale range. Manual scaling (NSLCM's requests) keeps a fixed count, min_active =
 * max_active, as the guide's Update Service examples do (lines ~2610-2720); the range a scale request must stay
 * in runs from the instantiation level to the VDU profile's maximum (else initial + the aspects' max levels).
 * With inputs `<vdu>.elastic` true, max_active is that maximum and ESC scales within it on its own.
 */
function planCounts(
  vnfd: VnfdModel,
  vdu: VduModel,
  inputs: DeploymentInputs,
  problems: MappingProblem[],
): Pick<VmGroupPlan, 'minActive' | 'maxActive' | 'scaleBounds' | 'elastic'> {
  const id = vdu.vduId;
  const profile = vnfd.vduProfiles[id] ?? {};
  const initial = vnfd.instantiationLevels[id] ?? profile.min ?? 1;
  const max = profile.max ?? maxFromScaleLevels(vnfd, id, initial);
  const elastic = inputFlag(inputs, id, 'elastic', problems) ?? false;
  if (elastic && max === undefined) {
    problems.push({
      vduId: id,
      field: `inputs.${id}.elastic`,
      message: `VDU ${id} is elastic but the VNFD gives it no maximum number of instances`,
    });
  }
  const minActive = inputCount(inputs, id, 'min_active', problems) ?? initial;
  const maxActive = inputCount(inputs, id, 'max_active', problems) ?? (elastic && max !== undefined ? max : Math.max(minActive, initial));
  if (minActive > maxActive) {
    problems.push({ vduId: id, field: 'max_active', message: `VDU ${id}: min_active ${minActive} exceeds max_active ${maxActive}` });
  }
  const scaleBounds: VmGroupPlan['scaleBounds'] = { min: Math.min(initial, minActive) };
  if (max !== undefined) scaleBounds.max = Math.max(max, maxActive);
  return { minActive, maxActive, scaleBounds, elastic };
}

/** initial + Σ (max_scale_level × step) over the aspects that scale this VDU, when all give a level. */
function maxFromScaleLevels(vnfd: VnfdModel, vduId: string, initial: number): number | undefined {
  const aspects = vnfd.scalingAspects.filter((a) => a.vduIds.includes(vduId));
  if (aspects.length === 0 || aspects.some((a) => a.maxScaleLevel === undefined)) return undefined;
  return aspects.reduce((sum, a) => sum + a.maxScaleLevel! * (a.stepDeltas?.[vduId] ?? 1), initial);
}
