import { randomBytes } from 'node:crypto';

const RANDOM_POOL_BYTES = 64 * 1024;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const COMPUTE_HOSTS = Array.from({ length: 8 }, (_, i) => `compute-host-${i + 1}`);

/**
 * Generates identifiers shaped like the ones ESC and OpenStack report (ESC NETCONF API guide,
 * "Fetching all operational data"): UUIDs for VMs, ports, networks; 32-hex tenant ids; 56-hex host ids.
 *
 * Random bytes are drawn in bulk (one randomBytes call per id costs more than building the rest of a VM), and
 * ids are made as flat strings: a VM keeps several for its lifetime, and a UUID concatenated from pieces
 * takes several times the memory of its 36 characters.
 */
export class IdFactory {
  private ipCounter = 10;
  private macCounter = 1;
  private pool = Buffer.alloc(0);
  private poolAt = 0;
  private readonly text = Buffer.alloc(64);
  /** The network address ip() was last asked about, split (the VMs of a group share their networks). */
  private lastNetwork: { address: string; parts: number[] } = { address: '', parts: [] };

  /** A random (version 4) UUID. */
  uuid(): string {
    const at = this.take(16);
    const p = this.pool;
    const out = this.text;
    let o = 0;
    for (let i = 0; i < 16; i++) {
      let b = p[at + i];
      if (i === 6) b = (b & 0x0f) | 0x40;
      else if (i === 8) b = (b & 0x3f) | 0x80;
      out[o++] = HEX_DIGITS[b >> 4]!;
      out[o++] = HEX_DIGITS[b & 0x0f]!;
      if (i === 3 || i === 5 || i === 7 || i === 9) out[o++] = 0x2d;
    }
    return out.toString('latin1', 0, 36);
  }

  /** OpenStack project id: 32 lower-case hex digits. */
  tenantId(): string {
    const at = this.take(16);
    return this.pool.toString('hex', at, at + 16);
  }

  /** OpenStack hostId: 56 hex digits (sha224). */
  hostId(): string {
    const at = this.take(28);
    return this.pool.toString('hex', at, at + 28);
  }

  /** Offset of `bytes` fresh random bytes in the pool. */
  private take(bytes: number): number {
    if (this.poolAt + bytes > this.pool.length) {
      this.pool = randomBytes(RANDOM_POOL_BYTES);
      this.poolAt = 0;
    }
    const at = this.poolAt;
    this.poolAt += bytes;
    return at;
  }

  /** Compute host name, e.g. 'compute-host-3'. */
  hostname(): string {
    return COMPUTE_HOSTS[this.macCounter % 8];
  }

  /** A unique fa:16:3e:xx:xx:xx MAC (OpenStack's prefix). */
  mac(): string {
    const n = this.macCounter++;
    const out = this.text;
    out.write('fa:16:3e', 0, 'latin1');
    for (let i = 0, shift = 16; i < 3; i++, shift -= 8) {
      const b = (n >> shift) & 0xff;
      out[8 + 3 * i] = 0x3a;
      out[9 + 3 * i] = HEX_DIGITS[b >> 4]!;
      out[10 + 3 * i] = HEX_DIGITS[b & 0x0f]!;
    }
    return out.toString('latin1', 0, 17);
  }

  /** Next host address in a /16 or smaller subnet given by its network address (a.b.c.0). */
  ip(networkAddress: string): string {
    const n = this.ipCounter++;
    if (networkAddress !== this.lastNetwork.address)
      this.lastNetwork = { address: networkAddress, parts: networkAddress.split('.').map(Number) };
    const parts = this.lastNetwork.parts;
    const host = (n % 250) + 2;
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
