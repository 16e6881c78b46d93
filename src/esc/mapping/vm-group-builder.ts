import { xml, type XmlNode } from '../../xml';
import { buildLocatorXml, type Placement } from './placement';
import type { Day0Model } from './vnfd-model';

/** One NIC of a vm_group: which VNFD CP it realises and the VIM network it joins. */
export interface VmGroupInterface {
  nicid: number;
  cpdId: string;
  /** Network name or id as ESC's `<network>` takes it. */
  network: string;
  subnet?: string;
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
  day0: Day0Model[];
  /** Bounds a scale request must stay within (from the VNFD; `max` absent: unbounded). */
  scaleBounds: { min: number; max?: number };
  /** The granted VIM and project; absent = ESC's default VIM. */
  locator?: Placement;
}

/**
 * The VM_ALIVE KPI: ICMP ping on the first NIC, as in the guide's "Deploy Service" example.
 * A VM that stops answering triggers ESC's own recovery (`FALSE recover autohealing`).
 */
function vmAliveKpi(): XmlNode {
  return xml(
    'kpi_data',
    {},
    xml(
      'kpi',
      {},
      xml('event_name', {}, 'VM_ALIVE'),
      xml('metric_value', {}, 1),
      xml('metric_cond', {}, 'GT'),
      xml('metric_type', {}, 'UINT32'),
      xml(
        'metric_collector',
        {},
        xml('type', {}, 'ICMPPing'),
        xml('nicid', {}, 0),
        xml('poll_frequency', {}, 3),
        xml('polling_unit', {}, 'seconds'),
        xml('continuous_alarm', {}, false),
      ),
    ),
  );
}

function vmAliveRules(): XmlNode {
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
        xml('action', {}, 'FALSE recover autohealing'),
        xml('action', {}, 'TRUE servicebooted.sh'),
      ),
    ),
  );
}

function configData(day0: Day0Model[]): XmlNode | undefined {
  if (day0.length === 0) return undefined;
  const configurations = day0.map((c) =>
    xml('configuration', {}, xml('dst', {}, c.dst), 'file' in c ? xml('file', {}, c.file) : xml('data', {}, c.data)),
  );
  return xml('config_data', {}, ...configurations);
}

/**
 * The `<vm_group>` element for a plan, element order as in the guide's "Deploy Service" and
 * file-locator examples: name, image, flavor, timers, interfaces, kpi_data, rules, config_data, scaling.
 */
export function buildVmGroupXml(plan: VmGroupPlan): XmlNode {
  const interfaces = plan.interfaces.map((i) =>
    xml(
      'interface',
      {},
      xml('nicid', {}, i.nicid),
      xml('network', {}, i.network),
      i.subnet === undefined ? undefined : xml('subnet', {}, i.subnet),
    ),
  );
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
    vmAliveKpi(),
    vmAliveRules(),
    configData(plan.day0),
    xml('scaling', {}, xml('min_active', {}, plan.minActive), xml('max_active', {}, plan.maxActive), xml('elastic', {}, true)),
  );
}
