import { xml, type XmlNode } from '../../xml';
import { buildLocatorXml, type Placement } from './placement';

/** One NIC of a vm_group: which VNFD CP it realises and the VIM network it joins. */
export interface VmGroupInterface {
  nicid: number;
  cpdId: string;
  /** Network name or id as ESC's `<network>` takes it (the guide's interfaces carry no subnet). */
  network: string;
  external: boolean;
  virtualLinkId?: string;
  /** NS-level VL instance id, for CPs bound to an extVirtualLink. */
  vlInstanceId?: string;
}

/** A vm_group as decided by the mapping, before it becomes XML. */
export interface VmGroupPlan {
  name: string;
  vduId: string;
  image: string;
  flavor: string;
  minActive: number;
  maxActive: number;
  bootupTimeSec: number;
  rebootTimeSec?: number;
  recoveryWaitTimeSec: number;
  interfaces: VmGroupInterface[];
  /** Day-0 files: `dst` on the VM, `file` the URL ESC reads it from. */
  day0: { dst: string; file: string }[];
  /** Bounds a scale request must stay within (from the VNFD; `max` absent: unbounded). */
  scaleBounds: { min: number; max?: number };
  /** ESC scales the group itself between min_active and max_active on the overload/underload KPIs. */
  elastic: boolean;
  /** ESC recovers a VM of the group that its VM_ALIVE monitor finds down (false: ONAP heals it). */
  autoRecovery: boolean;
  /** The granted VIM and project; absent = ESC's default VIM. */
  locator?: Placement;
}

/** One `<kpi>`, element order as in the guide's Deploy Service example (lines ~2188-2226). */
function kpi(event: string, value: number, cond: string, collector: string): XmlNode {
  return xml(
    'kpi',
    {},
    xml('event_name', {}, event),
    xml('metric_value', {}, value),
    xml('metric_cond', {}, cond),
    xml('metric_type', {}, 'UINT32'),
    xml(
      'metric_collector',
      {},
      xml('type', {}, collector),
      xml('nicid', {}, 0),
      xml('poll_frequency', {}, 3),
      xml('polling_unit', {}, 'seconds'),
      xml('continuous_alarm', {}, false),
    ),
  );
}

/** CPU load (percent) at or above which a VM counts as overloaded, and at or below which as underloaded. */
const OVERLOAD_CPU_PERCENT = 80;
const UNDERLOAD_CPU_PERCENT = 20;

/**
 * kpi_data: VM_ALIVE (ICMP ping on the first NIC, guide lines ~2188-2200); for an elastic group also
 * VM_OVERLOADED and VM_UNDERLOADED (guide lines ~2201-2226), on which ESC scales out and in by itself
 * (guide "Scale Out" / "Scale In": "The monitors attached to a VNF will trigger it"). The guide's example
 * thresholds (memory ≥ 1, CPU ≤ 99) hold all the time; the driver uses CPU ≥ 80 % and CPU ≤ 20 %.
 */
function kpiData(elastic: boolean): XmlNode {
  return xml(
    'kpi_data',
    {},
    kpi('VM_ALIVE', 1, 'GT', 'ICMPPing'),
    elastic ? kpi('VM_OVERLOADED', OVERLOAD_CPU_PERCENT, 'GE', 'CPU') : undefined,
    elastic ? kpi('VM_UNDERLOADED', UNDERLOAD_CPU_PERCENT, 'LE', 'CPU') : undefined,
  );
}

/**
 * admin_rules as in the guide's Deploy Service example (lines ~2229-2246): VM_ALIVE recovers, the load events log.
 * Without auto recovery the VM_ALIVE rule keeps its log and boot actions but not `FALSE recover autohealing`: ESC
 * recovers a deployed VM that goes down only "if there are rules defined to activate VM recovery for these cases"
 * (Auto Recovery (Auto Healing) Workflow, ~4746).
 */
function rules(elastic: boolean, autoRecovery: boolean): XmlNode {
  const logOnly = (event: string): XmlNode => xml('rule', {}, xml('event_name', {}, event), xml('action', {}, 'ALWAYS log'));
  return xml(
    'rules',
    {},
    xml(
      'admin_rules',
      {},
      xml(
        'rule',
        {},
        xml('event_name', {}, 'VM_ALIVE'),
        xml('action', {}, 'ALWAYS log'),
        autoRecovery ? xml('action', {}, 'FALSE recover autohealing') : undefined,
        xml('action', {}, 'TRUE servicebooted.sh'),
      ),
      elastic ? logOnly('VM_OVERLOADED') : undefined,
      elastic ? logOnly('VM_UNDERLOADED') : undefined,
    ),
  );
}

/** Day-0 files by URL, the `<file>` form of the guide's config_data (lines ~2247-2252). */
function configData(day0: VmGroupPlan['day0']): XmlNode | undefined {
  if (day0.length === 0) return undefined;
  return xml('config_data', {}, ...day0.map((c) => xml('configuration', {}, xml('dst', {}, c.dst), xml('file', {}, c.file))));
}

/**
 * The `<vm_group>` element for a plan, element order as in the guide's "Deploy Service" example (lines
 * ~2158-2258): name, image, flavor, timers, interfaces (nicid and network only), kpi_data, rules, config_data,
 * scaling. `image` and `flavor` are not in that example; the multi-VIM example (lines ~2905-2906) carries
 * them as vm_group leaves (order within a vm_group does not matter to ESC's model).
 */
export function buildVmGroupXml(plan: VmGroupPlan): XmlNode {
  const interfaces = plan.interfaces.map((i) => xml('interface', {}, xml('nicid', {}, i.nicid), xml('network', {}, i.network)));
  return xml(
    'vm_group',
    {},
    xml('name', {}, plan.name),
    // Right after the name, as in the guide's multi-VIM request (~lines 2897-2902).
    plan.locator === undefined ? undefined : buildLocatorXml(plan.locator),
    xml('image', {}, plan.image),
    xml('flavor', {}, plan.flavor),
    xml('bootup_time', {}, plan.bootupTimeSec),
    plan.rebootTimeSec === undefined ? undefined : xml('reboot_time', {}, plan.rebootTimeSec),
    xml('recovery_wait_time', {}, plan.recoveryWaitTimeSec),
    xml('interfaces', {}, ...interfaces),
    kpiData(plan.elastic),
    rules(plan.elastic, plan.autoRecovery),
    configData(plan.day0),
    // elastic true in every guide example (lines ~2254-2258, ~2615-2619); ESC only grows a group past min_active when max_active allows.
    xml('scaling', {}, xml('min_active', {}, plan.minActive), xml('max_active', {}, plan.maxActive), xml('elastic', {}, true)),
  );
}
