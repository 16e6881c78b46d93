import { escapeXmlText as esc } from '../xml';
import type { VmInstance } from './esc-state';

const NOTIFICATION_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
const ESC_NS = 'http://www.cisco.com/esc/esc';

/** The XML declaration in front of every message the simulator sends. */
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

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
  /** Network and subnet of a CREATE_/DELETE_NETWORK or _SUBNET event (guide, lines ~1354-1375, ~1478-1500). */
  network?: string;
  subnet?: string;
  vmSource?: VmInstance;
  vmTarget?: VmInstance;
  /** CREATE_FLAVOR / DELETE_FLAVOR: the flavor name (guide ~line 1776). */
  flavor?: string;
  /** *_VIM_CONNECTOR / *_VIM_USER: the connector id (guide ~line 616). */
  vimConnectorId?: string;
  /** *_VIM_USER: the user id (guide ~line 857). */
  vimUserId?: string;
}

/**
 * Hands out pieces of larger memory blocks: one allocation per block instead of one per piece (a Buffer of
 * its own costs more than encoding an event). Templates and event messages take from separate blocks, so that
 * a template kept for a VM's lifetime never keeps alive a block of short-lived messages.
 */
class Slabs {
  private slab = Buffer.alloc(0);
  private at = 0;

  constructor(private readonly size: number) {}

  take(bytes: number): Buffer {
    if (bytes > this.size >>> 2) return Buffer.allocUnsafeSlow(bytes);
    if (this.at + bytes > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(this.size);
      this.at = 0;
    }
    const b = this.slab.subarray(this.at, this.at + bytes);
    this.at += bytes;
    return b;
  }
}

const templateSlabs = new Slabs(8 * 1024);
const messageSlabs = new Slabs(64 * 1024);

/** A template's bytes. */
function templateBytes(text: string): Buffer {
  const b = templateSlabs.take(Buffer.byteLength(text, 'utf8'));
  b.write(text, 0, 'utf8');
  return b;
}

const VM_SOURCE_OPEN = '<vm_source>';
const VM_SOURCE_CLOSE = '</vm_source>';

/**
 * Per VM, kept for its lifetime: the vm_source element as bytes, and the vm_target one once needed. Only the
 * bytes are kept (off the JS heap): the details as a string, built by concatenation, would take a multiple of
 * their length in heap memory for every VM.
 */
interface VmTemplates {
  source: Buffer;
  target?: Buffer;
}

const vmCache = new WeakMap<VmInstance, VmTemplates>();

function vmTemplates(vm: VmInstance): VmTemplates {
  let t = vmCache.get(vm);
  if (t === undefined) {
    let out = `${VM_SOURCE_OPEN}<vmid>${esc(vm.vmId)}</vmid><vmname>${esc(vm.name)}</vmname><hostid>${vm.hostId}</hostid><hostname>${esc(vm.hostname)}</hostname>`;
    if (vm.interfaces.length > 0) {
      out += '<interfaces>';
      for (const i of vm.interfaces) {
        out += `<interface><nicid>${esc(i.nicid)}</nicid><type>virtual</type><port_id>${i.portId}</port_id><network>${i.networkId}</network>`;
        out += `<subnet>${i.subnetId}</subnet><ip_address>${i.ip}</ip_address><mac_address>${i.mac}</mac_address>`;
        out += `<netmask>${esc(i.netmask)}</netmask><gateway>${esc(i.gateway)}</gateway></interface>`;
      }
      out += '</interfaces>';
    }
    t = { source: templateBytes(out + VM_SOURCE_CLOSE) };
    vmCache.set(vm, t);
  }
  return t;
}

/** The body of vm_source / vm_target: vmid, vmname, hostid, hostname, interfaces (cached per VM). */
export function writeVmDetails(vm: VmInstance): string {
  const { source } = vmTemplates(vm);
  return source.toString('utf8', VM_SOURCE_OPEN.length, source.length - VM_SOURCE_CLOSE.length);
}

function vmSourceBytes(vm: VmInstance): Buffer {
  return vmTemplates(vm).source;
}

function vmTargetBytes(vm: VmInstance): Buffer {
  const t = vmTemplates(vm);
  return (t.target ??= templateBytes(`<vm_target>${writeVmDetails(vm)}</vm_target>`));
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

/*
 * An escEvent message is laid out from byte templates, in the guide's element order:
 *   head(eventTime)  status(status, code)  message  ids(depname … depid)  [network subnet]  vm_group  vm_source  vm_target  tail(type)
 * Only the status message is escaped and encoded per event; the rest is made once per millisecond, per
 * status, per deployment, per group name, per VM and per event type.
 */

let lastHead: { ms: number; bytes: Buffer } = { ms: -1, bytes: Buffer.alloc(0) };

function headBytes(ms: number): Buffer {
  if (ms !== lastHead.ms) {
    const text = `${XML_DECL}<notification xmlns="${NOTIFICATION_NS}"><eventTime>${formatEventTime(ms)}</eventTime><escEvent xmlns="${ESC_NS}"><status>`;
    // Short-lived (one millisecond): from the message blocks.
    const bytes = messageSlabs.take(Buffer.byteLength(text, 'utf8'));
    bytes.write(text, 0, 'utf8');
    lastHead = { ms, bytes };
  }
  return lastHead.bytes;
}

const statusCache = new Map<string, Map<number, Buffer>>();

function statusBytes(status: string, code: number): Buffer {
  let byCode = statusCache.get(status);
  if (byCode === undefined) statusCache.set(status, (byCode = new Map<number, Buffer>()));
  let b = byCode.get(code);
  if (b === undefined) byCode.set(code, (b = templateBytes(`${status}</status><status_code>${code}</status_code><status_message>`)));
  return b;
}

/** `</status_message>` and depname, tenant, tenant_id, depid of one deployment (or tenant). */
interface IdTemplate {
  depname?: string;
  tenant?: string;
  tenantId?: string;
  depid?: string;
  bytes: Buffer;
}

/**
 * Id templates by depid (tenant events: by tenant_id). Workflows of many deployments run interleaved, so one
 * entry per deployment; the fields are compared on every hit, so a stale entry is only ever replaced.
 */
const idCache = new Map<string, IdTemplate>();
const MAX_CACHED_IDS = 4096;

function idBytes(e: EscEvent): Buffer {
  const key = e.depid ?? e.tenantId ?? '';
  const c = idCache.get(key);
  if (c !== undefined && c.depname === e.depname && c.tenant === e.tenant && c.tenantId === e.tenantId && c.depid === e.depid)
    return c.bytes;
  const text =
    '</status_message>' + opt('depname', e.depname) + opt('tenant', e.tenant) + opt('tenant_id', e.tenantId) + opt('depid', e.depid);
  const t: IdTemplate = { depname: e.depname, tenant: e.tenant, tenantId: e.tenantId, depid: e.depid, bytes: templateBytes(text) };
  if (c === undefined && idCache.size >= MAX_CACHED_IDS) idCache.clear();
  idCache.set(key, t);
  return t.bytes;
}

/** vm_group elements by group name ('' for events without one). */
const groupCache = new Map<string, Buffer>();
const NO_GROUP = Buffer.alloc(0);

function groupBytes(group: string | undefined): Buffer {
  if (group === undefined) return NO_GROUP;
  let b = groupCache.get(group);
  if (b === undefined) {
    if (groupCache.size >= MAX_CACHED_IDS) groupCache.clear();
    groupCache.set(group, (b = templateBytes(opt('vm_group', group))));
  }
  return b;
}

const NO_VM_SOURCE = Buffer.from('<vm_source/>', 'latin1');
const NO_VM_TARGET = Buffer.from('<vm_target/>', 'latin1');
/** Event types come from the activation steps: a small fixed set. The bound only guards against misuse. */
const MAX_CACHED_TYPES = 256;
const tailCache = new Map<string, Buffer>();

function tailBytes(type: string): Buffer {
  let b = tailCache.get(type);
  if (b === undefined) {
    b = templateBytes(`<event><type>${esc(type)}</type></event></escEvent></notification>`);
    if (tailCache.size < MAX_CACHED_TYPES) tailCache.set(type, b);
  }
  return b;
}

/**
 * One escEvent notification as a whole NETCONF message: the XML declaration and the notification, UTF-8
 * encoded, ready to be framed. This is the hot path of every activation, so it is laid out from byte templates
 * (see above) instead of being built as a string and encoded.
 */
export function encodeEscEventMessage(e: EscEvent, timeMs: number): Buffer {
  const head = headBytes(timeMs);
  const status = statusBytes(e.status, e.statusCode);
  // Resource events are rare: their ids go with the message text, after </status_message> (guide ~lines 612-621, 853-861, 1771-1780).
  const resource = e.flavor === undefined && e.vimConnectorId === undefined ? '' : resourceIds(e);
  const message = esc(e.message);
  const messageBytes = Buffer.byteLength(message, 'utf8');
  const ids = resource === '' ? idBytes(e) : Buffer.from(resource, 'utf8');
  const net = e.network === undefined ? '' : opt('network', e.network) + opt('subnet', e.subnet);
  const netBytes = net === '' ? 0 : Buffer.byteLength(net, 'utf8');
  const group = groupBytes(e.vmGroup);
  // VIM connector and user events carry no vm_source / vm_target (guide ~lines 612-621).
  const vimEvent = e.vimConnectorId !== undefined || e.type === 'CREATE_DEFAULT_VIM_CONNECTOR';
  const source = e.vmSource ? vmSourceBytes(e.vmSource) : vimEvent ? NO_GROUP : NO_VM_SOURCE;
  const target = e.vmTarget ? vmTargetBytes(e.vmTarget) : vimEvent ? NO_GROUP : NO_VM_TARGET;
  const tail = tailBytes(e.type);
  const out = messageSlabs.take(
    head.length + status.length + messageBytes + ids.length + netBytes + group.length + source.length + target.length + tail.length,
  );
  out.set(head, 0);
  let at = head.length;
  out.set(status, at);
  at += status.length;
  at += out.write(message, at, 'utf8');
  out.set(ids, at);
  at += ids.length;
  if (netBytes > 0) at += out.write(net, at, 'utf8');
  out.set(group, at);
  at += group.length;
  out.set(source, at);
  at += source.length;
  out.set(target, at);
  at += target.length;
  out.set(tail, at);
  return out;
}

/** `</status_message>` and the flavor / VIM connector / VIM user ids of a resource event. */
function resourceIds(e: EscEvent): string {
  return (
    '</status_message>' +
    opt('depname', e.depname) +
    opt('tenant', e.tenant) +
    opt('flavor', e.flavor) +
    opt('vim_connector_id', e.vimConnectorId) +
    opt('vim_user_id', e.vimUserId)
  );
}

const XML_DECL_BYTES = Buffer.byteLength(XML_DECL, 'utf8');

/** Serializes an escEvent notification (without XML declaration) with the guide's element order. */
export function writeEscEventNotification(e: EscEvent, timeMs: number): string {
  return encodeEscEventMessage(e, timeMs).toString('utf8', XML_DECL_BYTES);
}
