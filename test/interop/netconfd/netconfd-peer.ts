import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/free-port';

const run = promisify(execFile);

/** Connection details of a running private netconfd peer. */
export interface NetconfdPeer {
  host: '127.0.0.1';
  port: number;
  username: string;
  password: string;
  privateKeyPath: string;
  /** The server's host key as an OpenSSH public-key line (type, base64, comment). */
  hostKeyLine: string;
  runDir: string;
}

const REQUIRED = [
  ['/usr/sbin/netconfd', 'netconfd'],
  ['/usr/sbin/netconf-subsystem', 'netconfd'],
  ['/usr/sbin/sshd', 'openssh-server'],
] as const;

/** Names the Debian packages whose binaries are missing here (empty when all are present). */
export function missingPeerPackages(): string[] {
  return [...new Set(REQUIRED.filter(([bin]) => !existsSync(bin)).map(([, pkg]) => pkg))];
}

/**
 * Decides whether the interop suite runs: it skips (with a message) when packages are missing on a
 * developer machine, and refuses to skip under CI=true.
 */
export function peerAvailability(): { run: boolean; reason?: string } {
  const missing = missingPeerPackages();
  if (missing.length === 0) return { run: true };
  const reason = `netconfd interop tests need the Debian package(s) ${missing.join(', ')}; install them with test/interop/install-peers.sh`;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${reason}`);
  return { run: false, reason };
}

function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Starts sshd + netconfd in a fresh temporary directory (see start-netconfd-peer.sh). */
export async function startNetconfdPeer(): Promise<NetconfdPeer> {
  const runDir = await mkdtemp(join(tmpdir(), 'netconfd-peer-'));
  const port = await freePort();
  try {
    await run('bash', [join(__dirname, 'start-netconfd-peer.sh'), runDir, String(port)], { timeout: 30_000 });
  } catch (err) {
    await stopNetconfdPeer(runDir);
    throw err;
  }
  const env = parseEnv(await readFile(join(runDir, 'peer.env'), 'utf8'));
  return {
    host: '127.0.0.1',
    port,
    username: env.NETCONF_USER,
    password: env.NETCONF_PASS,
    privateKeyPath: env.NETCONF_KEY,
    hostKeyLine: (await readFile(env.NETCONF_HOST_KEY, 'utf8')).trim(),
    runDir,
  };
}

/** Stops exactly what startNetconfdPeer started and removes its directory. */
export async function stopNetconfdPeer(runDir: string): Promise<void> {
  await run('bash', [join(__dirname, 'stop-netconfd-peer.sh'), runDir], { timeout: 30_000 });
  await rm(runDir, { recursive: true, force: true });
}
