import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utils } from 'ssh2';

/** A host key ready for the ssh2 server, with what clients need to pin it. */
export interface HostKey {
  privateKey: string | Buffer;
  /** OpenSSH public key line without comment ('ssh-ed25519 AAAA…'). */
  publicKey: string;
  /** 'SHA256:…' as printed by ssh-keygen -l. */
  fingerprint: string;
}

const KEY_FILE = 'ssh_host_ed25519_key';

/** Describes a private key (OpenSSH or PEM) as a {@link HostKey}. */
export function describeHostKey(privateKey: string | Buffer): HostKey {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw new Error(`invalid host key: ${parsed.message}`, { cause: parsed });
  const [key] = [parsed].flat();
  const blob = key.getPublicSSH();
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { privateKey, publicKey: `${key.type} ${blob.toString('base64')}`, fingerprint };
}

/**
 * The simulator's host key: the given one, else the one kept in `dataDir` (generated there on first
 * start, mode 0600), else a fresh ephemeral ed25519 key.
 */
export function loadHostKey(opts: { hostKey?: string | Buffer; dataDir?: string }): HostKey {
  if (opts.hostKey !== undefined) return describeHostKey(opts.hostKey);
  if (opts.dataDir === undefined) return describeHostKey(newPrivateKey());
  const file = join(opts.dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, newPrivateKey(), { mode: 0o600 });
  }
  return describeHostKey(readFileSync(file));
}

/**
 * A new ed25519 private key in OpenSSH format. ssh2's generator writes a key it cannot read back when the public
 * key starts with a zero byte (it strips every leading zero, about 1 key in 256), so a key is drawn again until
 * it parses.
 */
function newPrivateKey(): string {
  for (let attempt = 1; ; attempt++) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error) || attempt >= 32) return key;
  }
}
