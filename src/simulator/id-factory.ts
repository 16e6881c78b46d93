import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Generates identifiers shaped like the ones ESC and OpenStack report (ESC NETCONF API guide,
 * "Fetching all operational data"): UUIDs for VMs, ports, networks; 32-hex tenant ids; 56-hex host ids.
 */
export class IdFactory {
  private ipCounter = 10;
  private macCounter = 1;

  uuid(): string {
    return randomUUID();
  }

  /** OpenStack project id: 32 lower-case hex digits. */
  tenantId(): string {
    return randomBytes(16).toString('hex');
  }

  /** OpenStack hostId: 56 hex digits (sha224). */
  hostId(): string {
    return randomBytes(28).toString('hex');
  }

  /** Compute host name, e.g. 'compute-host-3'. */
  hostname(): string {
    return `compute-host-${1 + (this.macCounter % 8)}`;
  }

  /** A unique fa:16:3e:xx:xx:xx MAC (OpenStack's prefix). */
  mac(): string {
    const n = this.macCounter++;
    const b = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff].map((x) => x.toString(16).padStart(2, '0'));
    return `fa:16:3e:${b.join(':')}`;
  }

  /** Next host address in a /16 or smaller subnet given by its network address (a.b.c.0). */
  ip(networkAddress: string): string {
    const n = this.ipCounter++;
    const parts = networkAddress.split('.').map(Number);
    const host = n % 250 + 2;
    const third = ((parts[2] ?? 0) + Math.floor(n / 250)) % 256;
    return `${parts[0]}.${parts[1]}.${third}.${host}`;
  }
}

/**
 * ESC-style generated VM name `<deployment>_<vm_group>_<index>_<uuid>` (guide, "Deploy Multi-vim
 * Service" operational data). Spaces are not allowed by OpenStack and are replaced.
 */
export function buildVmName(deployment: string, group: string, index: number, uuid: string): string {
  return `${deployment}_${group}_${index}_${uuid}`.replace(/\s/g, '-');
}
