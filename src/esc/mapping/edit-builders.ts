import { xml, type XmlContent, type XmlNode } from '../../xml';
import type { FlavorSpec } from './deployment-mapper';
import { ESC_NS, NETCONF_BASE_NS } from './esc-namespace';

/** The path from `<esc_datamodel>` down to one deployment, wrapping `content` inside `<deployment>`. */
export function deploymentPath(tenant: string, deploymentAttrs: XmlNode['attrs'], content: XmlContent[]): XmlNode {
  return xml(
    'esc_datamodel',
    { xmlns: ESC_NS },
    xml('tenants', {}, xml('tenant', {}, xml('name', {}, tenant), xml('deployments', {}, xml('deployment', deploymentAttrs, ...content)))),
  );
}

/**
 * edit-config content that undeploys a deployment (guide: "Un-deploy Service", lines ~2449-2475):
 * `<deployment nc:operation="delete">`. The `nc` prefix is declared on the element itself so the
 * subtree stands alone inside any `<config>`.
 */
export function buildUndeployConfig(tenant: string, deployment: string): XmlNode {
  return deploymentPath(tenant, { 'xmlns:nc': NETCONF_BASE_NS, 'nc:operation': 'delete' }, [xml('name', {}, deployment)]);
}

export interface ScaleTarget {
  vmGroup: string;
  minActive: number;
  maxActive: number;
}

/**
 * edit-config content that changes `scaling/min_active` and `max_active` of existing vm_groups (guide: "Update
 * Service", lines ~2551-2720). The guide's example resends every vm_group whole; this sends each changed group's
 * key and scaling only, which the default edit-config operation, merge (RFC 6241 §7.2, guide "Stage 1"), applies
 * to the same effect while leaving the rest of the deployment as ESC holds it.
 */
export function buildScaleConfig(tenant: string, deployment: string, targets: ScaleTarget[]): XmlNode {
  const groups = targets.map((t) =>
    xml(
      'vm_group',
      {},
      xml('name', {}, t.vmGroup),
      xml('scaling', {}, xml('min_active', {}, t.minActive), xml('max_active', {}, t.maxActive)),
    ),
  );
  return deploymentPath(tenant, {}, [xml('name', {}, deployment), ...groups]);
}

export type ServiceActionType = 'START' | 'STOP' | 'REBOOT' | 'ENABLE_MONITOR' | 'DISABLE_MONITOR' | 'RECOVER';
export type VmActionType = 'START' | 'STOP' | 'REBOOT' | 'ENABLE_MONITOR' | 'DISABLE_MONITOR';

/**
 * `<serviceAction>` for a whole deployment (guide: "Service Operations", e.g. "Stop Service", lines ~3330-3345). The guide's examples carry
 * this element inside an edit-config `<config>`; whoever sends it decides that envelope.
 */
export function buildServiceAction(action: ServiceActionType, tenant: string, deployment: string): XmlNode {
  return xml(
    'serviceAction',
    { xmlns: ESC_NS },
    xml('actionType', {}, action),
    xml('tenantName', {}, tenant),
    xml('depName', {}, deployment),
  );
}

/**
 * `<vmAction>` for one VM by its ESC VM name (guide: "VM Operations", "Reboot VM", lines ~4215-4229; carried in
 * an edit-config `<config>` like serviceAction). `force` true lets ESC ignore min_active while it acts (the guide
 * below that example: "If the 'force' option is true, ESC will ignore the requirement for min_vm").
 */
export function buildVmAction(action: VmActionType, vmName: string, force: boolean): XmlNode {
  return xml('vmAction', { xmlns: ESC_NS }, xml('actionType', {}, action), xml('vmName', {}, vmName), xml('force', {}, force));
}

/**
 * edit-config content creating one flavor (guide: "Create Flavor", request ~lines 1729-1750). One flavor per
 * request: each is a workflow of its own, and only tenant workflows may be combined (~lines 414-422).
 */
export function buildFlavorConfig(f: FlavorSpec): XmlNode {
  return xml(
    'esc_datamodel',
    { xmlns: ESC_NS },
    xml(
      'flavors',
      {},
      xml(
        'flavor',
        {},
        xml('name', {}, f.name),
        xml('vcpus', {}, f.vcpus),
        xml('memory_mb', {}, f.memoryMb),
        xml('root_disk_mb', {}, f.rootDiskMb),
        xml('ephemeral_disk_mb', {}, 0),
        xml('swap_disk_mb', {}, 0),
      ),
    ),
  );
}

/** Subtree filter for the flavors in ESC's opdata (guide ~lines 1790-1810: name, flavor_id, public). */
export function flavorsOpdataFilter(): XmlNode {
  return xml('esc_datamodel', { xmlns: ESC_NS }, xml('opdata', {}, xml('flavors', {})));
}

/**
 * The `<get>` subtree filter selecting one deployment's operational data: the guide's opdata query
 * (Deploy Service, Operational data, lines ~2358-2364: `esc_datamodel/opdata/tenants/tenant[name=…]/
 * deployments[deployment_name=…]`) in subtree form, which the guide allows next to XPath ("A Netconf subtree
 * filter or XPath filter should be supplied", line ~427) and which needs no :xpath capability.
 */
export function opdataFilter(tenant: string, deployment: string): XmlNode {
  return xml(
    'esc_datamodel',
    { xmlns: ESC_NS },
    xml(
      'opdata',
      {},
      xml('tenants', {}, xml('tenant', {}, xml('name', {}, tenant), xml('deployments', {}, xml('deployment_name', {}, deployment)))),
    ),
  );
}

/**
 * `<recoveryVmAction>` DO for one VM by its ESC VM name (guide: "Recovery VM", request ~lines 4487-4492): an RPC of
 * its own, not edit-config content; ESC then runs the recovery workflow (VM_RECOVERY_INIT … VM_RECOVERY_COMPLETE).
 */
export function buildRecoveryVmAction(vmName: string): XmlNode {
  return xml('recoveryVmAction', { xmlns: ESC_NS }, xml('actionType', {}, 'DO'), xml('vmName', {}, vmName));
}
