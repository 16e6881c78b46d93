import { childOf, textOf, type XmlElement } from '../xml';
import type { VmInterfaceView } from './deployment-view';

/** A VM named in an escEvent (`vm_source` / `vm_target`). */
export interface EventVmRef {
  vmid?: string;
  vmname?: string;
  interfaces: VmInterfaceView[];
}

/** The fields of an escEvent the runtime uses (guide: "Event Notifications", escEvent). */
export interface EscEventView {
  type: string;
  /** SUCCESS or FAILURE. */
  status: string;
  statusMessage: string;
  /** status_code (e.g. 200, 500), as sent; absent when ESC sends none. */
  statusCode?: string;
  /** The `<notification>`'s eventTime (RFC 3339), set by whoever received the notification. */
  eventTime?: string;
  tenant?: string;
  depname?: string;
  vmGroup?: string;
  /** Network and subnet a CREATE_/DELETE_NETWORK or _SUBNET event names (guide "Create Network", "Create Subnet"). */
  network?: string;
  subnet?: string;
  vmSource?: EventVmRef;
  vmTarget?: EventVmRef;
  /** Events about a flavor or a VIM connector / user: which one (see {@link resourceKey}). */
  resource?: string;
}

/** Routing key of a flavor / VIM connector / VIM user event (guide ~lines 616, 857, 1776). */
export function resourceKey(kind: 'flavor' | 'vim_connector' | 'vim_user', id: string, user?: string): string {
  return kind === 'vim_user' ? `vim_user/${id}/${user ?? ''}` : `${kind}/${id}`;
}

function resourceOf(ev: XmlElement): string | undefined {
  const flavor = textOf(ev, 'flavor');
  if (flavor) return resourceKey('flavor', flavor);
  const connector = textOf(ev, 'vim_connector_id');
  if (!connector) return undefined;
  const user = textOf(ev, 'vim_user_id');
  return user ? resourceKey('vim_user', connector, user) : resourceKey('vim_connector', connector);
}

/** Reads an `<escEvent>` element (or a `<notification>` holding one); undefined for anything else. */
export function readEscEvent(el: XmlElement, eventTime?: string): EscEventView | undefined {
  const ev = el.name === 'escEvent' ? el : childOf(el, 'escEvent');
  if (!ev) return undefined;
  const type = textOf(childOf(ev, 'event'), 'type');
  if (!type) return undefined;
  return {
    type,
    status: (textOf(ev, 'status') ?? '').toUpperCase(),
    statusMessage: textOf(ev, 'status_message') ?? '',
    statusCode: textOf(ev, 'status_code') || undefined,
    tenant: textOf(ev, 'tenant') || undefined,
    depname: textOf(ev, 'depname') || undefined,
    vmGroup: textOf(ev, 'vm_group') || undefined,
    network: textOf(ev, 'network') || undefined,
    subnet: textOf(ev, 'subnet') || undefined,
    vmSource: readVmRef(childOf(ev, 'vm_source')),
    vmTarget: readVmRef(childOf(ev, 'vm_target')),
    resource: resourceOf(ev),
    eventTime,
  };
}

function readVmRef(el: XmlElement | undefined): EventVmRef | undefined {
  if (!el) return undefined;
  const vmid = textOf(el, 'vmid') || undefined;
  const vmname = textOf(el, 'vmname') || undefined;
  if (!vmid && !vmname) return undefined;
  const interfaces = (childOf(el, 'interfaces')?.children ?? [])
    .filter((c) => c.name === 'interface')
    .map((i) => ({
      nicid: textOf(i, 'nicid') ?? '',
      portId: textOf(i, 'port_id'),
      network: textOf(i, 'network'),
      subnet: textOf(i, 'subnet'),
      ipAddress: textOf(i, 'ip_address'),
      macAddress: textOf(i, 'mac_address'),
    }));
  return { vmid, vmname, interfaces };
}
