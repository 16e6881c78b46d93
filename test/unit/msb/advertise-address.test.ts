import type { NetworkInterfaceInfo } from 'node:os';
import { AdvertiseAddressError, firstExternalIpv4, resolveAdvertiseAddress, type InterfaceTable } from '../../../src/msb/advertise-address';

function addr(address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo {
  const base = { address, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...base, family } : { ...base, family, scopeid: 0 };
}

const table: InterfaceTable = {
  lo: [addr('127.0.0.1', 'IPv4', true), addr('::1', 'IPv6', true)],
  eth0: [addr('fe80::1', 'IPv6', false), addr('10.1.2.3', 'IPv4', false)],
  eth1: [addr('192.168.0.9', 'IPv4', false)],
};

describe('firstExternalIpv4', () => {
  it('when loopback and IPv6 come first, then the first non-internal IPv4 is chosen', () => {
    expect(firstExternalIpv4(table)).toBe('10.1.2.3');
  });

  it('when only internal addresses exist, then there is none', () => {
    expect(firstExternalIpv4({ lo: table.lo })).toBeUndefined();
  });
});

describe('resolveAdvertiseAddress', () => {
  it('when SERVICE_IP and SERVICE_PORT are unset, then the first external IPv4 and PORT are used', () => {
    expect(resolveAdvertiseAddress({ port: 8480, interfaces: table })).toEqual({ ip: '10.1.2.3', port: 8480 });
  });

  it('when SERVICE_IP and SERVICE_PORT are set, then they win', () => {
    expect(resolveAdvertiseAddress({ serviceIp: '172.16.0.5', servicePort: 30480, port: 8480, interfaces: table })).toEqual({
      ip: '172.16.0.5',
      port: 30480,
    });
  });

  it('when no address can be found, then a typed error names the interfaces', () => {
    expect(() => resolveAdvertiseAddress({ port: 1, interfaces: { lo: table.lo } })).toThrow(AdvertiseAddressError);
    expect(() => resolveAdvertiseAddress({ port: 1, interfaces: { lo: table.lo } })).toThrow(/interfaces: lo.*SERVICE_IP/);
  });
});
