import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeMsb } from '../../support/fake-msb';

const MAIN = path.join(__dirname, '..', '..', '..', 'dist', 'main.js');
const ONE = '/api/microservices/v1/services/ciscovnfmdriver/version/v1';

/** Starts `node dist/main.js` with the given MSB settings; resolves once it logged "service started". */
async function startDriver(env: Record<string, string>, dir: string): Promise<ChildProcess> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STORE_PATH: path.join(dir, 'driver.db'),
      ESC_KNOWN_HOSTS: path.join(dir, 'known_hosts'),
      SERVICE_IP: '127.0.0.1',
      SERVICE_PORT: '18489',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`driver did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('service started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`driver exited with ${code}:\n${output}`));
    });
  });
  return child;
}

/** Sends `signal` and waits for the exit code; SIGKILLs after `timeoutMs` so nothing is left behind. */
function stopDriver(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

describe('driver process with MSB registration', () => {
  let msb: FakeMsb;
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    msb = await FakeMsb.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msb-sigterm-'));
  });

  afterEach(async () => {
    if (child) await stopDriver(child, 'SIGKILL');
    child = undefined;
    await msb.down();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when MSB_REGISTER=true and the process gets SIGTERM, then it registered and then deregistered', async () => {
    child = await startDriver({ MSB_URL: msb.url, MSB_REGISTER: 'true' }, dir);
    await msb.waitFor(() => msb.services.has('ciscovnfmdriver'), 10_000, 'registration');

    const code = await stopDriver(child, 'SIGTERM');

    expect(code).toBe(0);
    expect(msb.callsOf('DELETE', `${ONE}/nodes/127.0.0.1/18489`)).toHaveLength(1);
    expect(msb.services.size).toBe(0);
    expect(msb.callsOf('POST')[0].body).toMatchObject({ nodes: [{ ip: '127.0.0.1', port: '18489', ttl: 0 }] });
  }, 30_000);

  it('when MSB_REGISTER=false, then MSB never receives a registration', async () => {
    child = await startDriver({ MSB_URL: msb.url, MSB_REGISTER: 'false' }, dir);
    await new Promise((resolve) => setTimeout(resolve, 500));

    await stopDriver(child, 'SIGTERM');

    expect(msb.callsOf('POST')).toEqual([]);
    expect(msb.callsOf('DELETE')).toEqual([]);
  }, 30_000);
});
