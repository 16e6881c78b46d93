import { childOf, textOf, type XmlElement } from '../../xml';
import { ESC_NS } from './esc-namespace';
import { optionalText, readInterfaces, type EscInterface } from './esc-interfaces';

/** A VM named in an escEvent (`vm_source`: the VM acted on; `vm_target`: the VM that replaced it). */
export interface EscEventVm {
  vmid: string;
  vmname?: string;
  hostid?: string;
  hostname?: string;
  interfaces: EscInterface[];
}

/** An ESC `escEvent` notification (guide: "Event Notifications"; types in the escEvent catalogue). */
export interface EscEvent {
  /** `event/type`, e.g. VM_DEPLOYED, SERVICE_ALIVE, VM_RECOVERY_COMPLETE. */
  type: string;
  /** SUCCESS, or FAILURE for anything else ESC reports. */
  status: 'SUCCESS' | 'FAILURE';
  statusCode?: number;
  statusMessage?: string;
  eventTime?: string;
  tenant?: string;
  tenantId?: string;
  depname?: string;
  depid?: string;
  vmGroup?: string;
  vmSource?: EscEventVm;
  vmTarget?: EscEventVm;
}

/**
 * Reads an escEvent from a `<notification>` (or the `<escEvent>` element itself).
 * Returns undefined for any other notification, or an escEvent without an event type.
 */
export function parseEscEvent(body: XmlElement): EscEvent | undefined {
  const ev = body.name === 'escEvent' && body.ns === ESC_NS ? body : childOf(body, 'escEvent', ESC_NS);
  if (!ev) return undefined;
  const type = textOf(childOf(ev, 'event', ESC_NS), 'type', ESC_NS);
  if (!type) return undefined;
  const out: EscEvent = { type, status: textOf(ev, 'status', ESC_NS)?.toUpperCase() === 'SUCCESS' ? 'SUCCESS' : 'FAILURE' };
  const code = Number(optionalText(ev, 'status_code'));
  if (Number.isInteger(code) && optionalText(ev, 'status_code') !== undefined) out.statusCode = code;
  const eventTime = body === ev ? undefined : textOf(body, 'eventTime');
  if (eventTime) out.eventTime = eventTime;
  const fields: [keyof EscEvent, string][] = [
    ['statusMessage', 'status_message'], ['tenant', 'tenant'], ['tenantId', 'tenant_id'],
    ['depname', 'depname'], ['depid', 'depid'], ['vmGroup', 'vm_group'],
  ];
  for (const [key, tag] of fields) {
    const v = optionalText(ev, tag);
    if (v !== undefined) (out as unknown as Record<string, string>)[key] = v;
  }
  const source = readVm(childOf(ev, 'vm_source', ESC_NS));
  const target = readVm(childOf(ev, 'vm_target', ESC_NS));
  if (source) out.vmSource = source;
  if (target) out.vmTarget = target;
  return out;
}

function readVm(el: XmlElement | undefined): EscEventVm | undefined {
  const vmid = optionalText(el, 'vmid');
  if (!vmid) return undefined;
  const vm: EscEventVm = { vmid, interfaces: readInterfaces(el) };
  const vmname = optionalText(el, 'vmname');
  const hostid = optionalText(el, 'hostid');
  const hostname = optionalText(el, 'hostname');
  if (vmname) vm.vmname = vmname;
  if (hostid) vm.hostid = hostid;
  if (hostname) vm.hostname = hostname;
  return vm;
}
