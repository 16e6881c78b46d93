import { createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** OpenSSH's StrictHostKeyChecking words (ssh_config(5)). */
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';

/** Outcome of looking a host key up: same key known, other key of the same type known, or unknown. */
export type HostKeyStatus = 'match' | 'mismatch' | 'revoked' | 'unknown';

interface KnownHostEntry {
  marker?: string;
  patterns: string;
  keyType: string;
  keyBase64: string;
}

/** The host name as written in known_hosts: `host` on port 22, `[host]:port` otherwise (sshd(8)). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Key type name from an SSH public-key blob (RFC 4253 §6.6: string key-type first). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return blob.toString('latin1', 4, Math.min(blob.length, 4 + len));
}

function parseLine(line: string): KnownHostEntry | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length === 0 || fields[0] === '' || fields[0].startsWith('#')) return undefined;
  const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
  if (fields.length < 3) return undefined;
  return { marker, patterns: fields[0], keyType: fields[1], keyBase64: fields[2] };
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** True when the comma-separated pattern list matches `name` (hashed, wildcard and `!` negation). */
function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pat = negated ? raw.slice(1) : raw;
    if (!globToRegExp(pat).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/**
 * Looks a presented host key up in known_hosts content (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
 * `@cert-authority` lines are ignored (no certificates here); `@revoked` keys are refused.
 */
export function checkKnownHost(content: string, host: string, port: number, key: Buffer): HostKeyStatus {
  const name = knownHostsName(host, port);
  const keyType = keyTypeOf(key);
  const keyB64 = key.toString('base64');
  let status: HostKeyStatus = 'unknown';
  for (const line of content.split('\n')) {
    const entry = parseLine(line);
    if (!entry || !patternsMatch(entry.patterns, name)) continue;
    const same = entry.keyBase64 === keyB64;
    if (entry.marker === '@revoked') {
      if (same) return 'revoked';
      continue;
    }
    if (entry.marker !== undefined) continue;
    if (same) status = 'match';
    else if (entry.keyType === keyType && status !== 'match') status = 'mismatch';
  }
  return status;
}

/** Reads a known_hosts file; a missing file reads as empty. */
export async function readKnownHosts(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Appends the host's key to known_hosts (trust on first use), creating the file 0600 if needed. */
export async function recordKnownHost(path: string, host: string, port: number, key: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const line = `${knownHostsName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
  const existing = await readKnownHosts(path);
  const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(path, prefix + line, { mode: 0o600 });
}
