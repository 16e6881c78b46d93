import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHostsName } from '../../src/netconf/known-hosts';
import { describeHostKey } from '../../src/simulator/host-key';

const CLI = join(__dirname, '..', '..', 'src', 'simulator', 'cli.ts');
/** Where the simulator keeps its host key under --data-dir (src/simulator/host-key.ts). */
const HOST_KEY_FILE = 'ssh_host_ed25519_key';
const READY = /^ESC simulator ready on (\S+):(\d+) host key (SHA256:[A-Za-z0-9+/]+)/;

/** What the simulator CLI announces once it listens. */
export interface SimulatorReady {
  host: string;
  port: number;
  fingerprint: string;
}

/** Reads the CLI's `ESC simulator ready on HOST:PORT host key SHA256:…` line; undefined for any other line. */
export function parseSimulatorReady(line: string): SimulatorReady | undefined {
  const m = READY.exec(line.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1], port, fingerprint: m[3] };
}

/** One known_hosts line pinning `publicKey` ('ssh-ed25519 AAAA…') for host:port. */
export function knownHostsLine(host: string, port: number, publicKey: string): string {
  const [type, key] = publicKey.trim().split(/\s+/);
  if (!type || !key) throw new Error(`not an OpenSSH public key: "${publicKey}"`);
  return `${knownHostsName(host, port)} ${type} ${key}\n`;
}

/** The ESC simulator running in a process of its own, with zero delays. */
export interface SimulatorChild {
  host: string;
  port: number;
  username: string;
  password: string;
  /** A known_hosts file that pins the simulator's host key. */
  knownHostsPath: string;
  /** SIGTERM, SIGKILL after `graceMs`; removes the temporary directory. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts src/simulator/cli.ts on 127.0.0.1 and a free port, with the loader this process runs under, so that
 * the simulator's work is not charged to the client that measures it. The host key is kept in a temporary
 * directory and checked against the fingerprint the simulator prints.
 */
export async function startSimulatorChild(timeoutMs = 20_000): Promise<SimulatorChild> {
  const dir = await mkdtemp(join(tmpdir(), 'esc-sim-bench-'));
  const username = 'bench';
  const password = randomBytes(12).toString('hex');
  const args = [CLI, '--host', '127.0.0.1', '--port', '0', '--user', username, '--password', password, '--data-dir', join(dir, 'data')];
  const child = spawn(process.execPath, [...process.execArgv, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async (graceMs = 5000): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ready = await new Promise<SimulatorReady>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`ESC simulator not ready within ${timeoutMs} ms`)), timeoutMs);
      child.once('error', (err) => (clearTimeout(timer), reject(err)));
      void exited.then(() => (clearTimeout(timer), reject(new Error(`ESC simulator exited before it was ready: ${out.trim()}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = out
          .split('\n')
          .map(parseSimulatorReady)
          .find((r) => r !== undefined);
        if (!found) return;
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve(found);
      });
    });
    const key = describeHostKey(await readFile(join(dir, 'data', HOST_KEY_FILE)));
    if (key.fingerprint !== ready.fingerprint)
      throw new Error(`host key ${key.fingerprint} is not the one the simulator printed (${ready.fingerprint})`);
    const knownHostsPath = join(dir, 'known_hosts');
    await writeFile(knownHostsPath, knownHostsLine(ready.host, ready.port, key.publicKey));
    return { host: ready.host, port: ready.port, username, password, knownHostsPath, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
