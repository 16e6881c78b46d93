import type { XmlElement } from '../../../src/xml';

/** Leaves whose values ESC generates (ids, times, addresses): only their presence is compared. */
const GENERATED = new Set([
  'eventTime',
  'depid',
  'vmid',
  'hostid',
  'hostname',
  'tenant_id',
  'vm_id',
  'host_id',
  'port_id',
  'network',
  'subnet',
  'ip_address',
  'mac_address',
  'netmask',
  'gateway',
  'vmname',
  'vm_name',
  'deployment_id',
  'status_code',
]);

function norm(name: string, value: string, parent: string): string {
  if (GENERATED.has(name) || (name === 'name' && parent === 'vm_instance')) return '*';
  return value
    .trim()
    .replace(/\[[^\]]*\]/g, '[*]')
    .replace(/[\u2018\u2019]/g, "'");
}

/** 'path=value' lines of every leaf, with generated values replaced by '*'. */
export function leafLines(el: XmlElement, prefix = '', parent = ''): string[] {
  const path = `${prefix}/${el.name}`;
  if (el.children.length === 0) return [`${path}=${norm(el.name, el.text, parent)}`];
  return el.children.flatMap((c) => leafLines(c, path, el.name));
}

/**
 * Lines of the guide's example that our message lacks. Our messages follow ESC 3.x+, which adds
 * fields to the older examples (status_code, vmname, interfaces), so extra lines are allowed.
 */
export function missingFrom(guide: XmlElement, ours: XmlElement, ignore: string[] = []): string[] {
  const have = new Set(leafLines(ours));
  return leafLines(guide).filter((l) => !have.has(l) && !ignore.some((i) => l.includes(i)) && !/\/(vm_source|vm_target)=$/.test(l));
}
