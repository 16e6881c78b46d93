import { childOf, childrenOf, textOf, type XmlElement } from '../../xml';
import { ESC_NS } from './esc-namespace';

/** A VM NIC as ESC reports it in opdata `vm_instance` and in escEvent `vm_source`/`vm_target`. */
export interface EscInterface {
  nicid: number;
  portId?: string;
  network?: string;
  subnet?: string;
  ipAddress?: string;
  macAddress?: string;
}

/** Reads `<interfaces><interface>…` under `parent` (ESC namespace). */
export function readInterfaces(parent: XmlElement | undefined): EscInterface[] {
  return childrenOf(childOf(parent, 'interfaces', ESC_NS), 'interface', ESC_NS).map((el, index) => {
    const nic = Number(textOf(el, 'nicid', ESC_NS));
    const itf: EscInterface = { nicid: Number.isInteger(nic) ? nic : index };
    const fields: [keyof EscInterface, string][] = [
      ['portId', 'port_id'], ['network', 'network'], ['subnet', 'subnet'], ['ipAddress', 'ip_address'], ['macAddress', 'mac_address'],
    ];
    for (const [key, tag] of fields) {
      const v = textOf(el, tag, ESC_NS);
      if (v) (itf as unknown as Record<string, string>)[key] = v;
    }
    return itf;
  });
}

/** Trimmed text of a child, or undefined when absent or empty. */
export function optionalText(el: XmlElement | undefined, name: string): string | undefined {
  const v = textOf(el, name, ESC_NS);
  return v === undefined || v === '' ? undefined : v;
}
