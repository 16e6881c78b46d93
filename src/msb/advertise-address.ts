import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** Interfaces as `os.networkInterfaces()` returns them. */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** No address to advertise: SERVICE_IP is unset and the host has no non-internal IPv4 address. */
export class AdvertiseAddressError extends Error {
  constructor(readonly interfaceNames: string[]) {
    super(`no non-internal IPv4 address to advertise (interfaces: ${interfaceNames.join(', ') || 'none'}); set SERVICE_IP`);
    this.name = 'AdvertiseAddressError';
  }
}

/**
 * The first non-internal IPv4 address, in the order the OS lists interfaces, or undefined.
 * Loopback and other `internal` addresses are skipped; IPv6 is skipped (MSB nodes take an IPv4).
 */
export function firstExternalIpv4(table: InterfaceTable = networkInterfaces()): string | undefined {
  for (const addresses of Object.values(table)) {
    const found = (addresses ?? []).find((a) => isIpv4(a) && !a.internal);
    if (found) return found.address;
  }
  return undefined;
}

/** What to advertise in MSB: `serviceIp` (SERVICE_IP) or the first external IPv4; `servicePort` or `port`. */
export function resolveAdvertiseAddress(opts: { serviceIp?: string; servicePort?: number; port: number; interfaces?: InterfaceTable }): {
  ip: string;
  port: number;
} {
  const table = opts.interfaces ?? networkInterfaces();
  const ip = opts.serviceIp ?? firstExternalIpv4(table);
  if (ip === undefined) throw new AdvertiseAddressError(Object.keys(table));
  return { ip, port: opts.servicePort ?? opts.port };
}

/** Node 18.0–18.3 reported `family` as the number 4; later versions as 'IPv4'. */
function isIpv4(a: NetworkInterfaceInfo): boolean {
  return (a.family as string | number) === 'IPv4' || (a.family as string | number) === 4;
}
