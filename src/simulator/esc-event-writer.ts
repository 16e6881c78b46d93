import { escapeXmlText as esc } from '../xml';
import type { VmInstance } from './esc-state';

const NOTIFICATION_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
const ESC_NS = 'http://www.cisco.com/esc/esc';

/** The content of one escEvent (ESC NETCONF API guide, "Event Notifications"). */
export interface EscEvent {
  type: string;
  status: 'SUCCESS' | 'FAILURE';
  /** 200 for success, 500 for failure, 204 for VM_RECOVERY_UNDEPLOYED (as in the guide). */
  statusCode: number;
  message: string;
  depname?: string;
  tenant?: string;
  tenantId?: string;
  depid?: string;
  vmGroup?: string;
  vmSource?: VmInstance;
  vmTarget?: VmInstance;
}

const vmCache = new WeakMap<VmInstance, string>();

/** The body of vm_source / vm_target: vmid, vmname, hostid, hostname, interfaces (cached per VM). */
export function writeVmDetails(vm: VmInstance): string {
  const cached = vmCache.get(vm);
  if (cached !== undefined) return cached;
  let out = `<vmid>${esc(vm.vmId)}</vmid><vmname>${esc(vm.name)}</vmname><hostid>${vm.hostId}</hostid><hostname>${esc(vm.hostname)}</hostname>`;
  if (vm.interfaces.length > 0) {
    out += '<interfaces>';
    for (const i of vm.interfaces) {
      out += `<interface><nicid>${esc(i.nicid)}</nicid><type>virtual</type><port_id>${i.portId}</port_id><network>${i.networkId}</network>`;
      out += `<subnet>${i.subnetId}</subnet><ip_address>${i.ip}</ip_address><mac_address>${i.mac}</mac_address>`;
      out += `<netmask>${esc(i.netmask)}</netmask><gateway>${esc(i.gateway)}</gateway></interface>`;
    }
    out += '</interfaces>';
  }
  vmCache.set(vm, out);
  return out;
}

function opt(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${name}>${esc(value)}</${name}>`;
}

/** ESC's notification eventTime: millisecond precision with a '+00:00' offset ('2015-04-28T23:38:04.741+00:00'). */
export function formatEventTime(ms: number): string {
  if (ms !== lastTime.ms) lastTime = { ms, text: new Date(ms).toISOString().replace('Z', '+00:00') };
  return lastTime.text;
}
let lastTime = { ms: -1, text: '' };

/**
 * Serializes an escEvent notification with the guide's element order. Built from string templates
 * (no object tree) because it is on the hot path of every activation.
 */
export function writeEscEventNotification(e: EscEvent, timeMs: number): string {
  let out = `<notification xmlns="${NOTIFICATION_NS}"><eventTime>${formatEventTime(timeMs)}</eventTime>`;
  out += `<escEvent xmlns="${ESC_NS}"><status>${e.status}</status><status_code>${e.statusCode}</status_code>`;
  out += `<status_message>${esc(e.message)}</status_message>`;
  out += opt('depname', e.depname) + opt('tenant', e.tenant) + opt('tenant_id', e.tenantId) + opt('depid', e.depid) + opt('vm_group', e.vmGroup);
  out += e.vmSource ? `<vm_source>${writeVmDetails(e.vmSource)}</vm_source>` : '<vm_source/>';
  out += e.vmTarget ? `<vm_target>${writeVmDetails(e.vmTarget)}</vm_target>` : '<vm_target/>';
  return `${out}<event><type>${esc(e.type)}</type></event></escEvent></notification>`;
}
