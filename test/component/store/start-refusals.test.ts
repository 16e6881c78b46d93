import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST_MAIN, killIfRunning, spawnService, type ChildService } from '../../support/http-child-process';

/** Runs `node dist/main.js` to its end; the exit code and everything it printed. */
function runToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [DIST_MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('the built service refusing to start', () => {
  let dir: string;
  let first: ChildService | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-refusals-'));
  });

  afterEach(async () => {
    await killIfRunning(first);
    first = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const base = (storePath: string): Record<string, string> => ({
    PORT: '0',
    HOST: '127.0.0.1',
    ESC_SIMULATOR_PORT: '0',
    STORE_PATH: storePath,
    LOG_FORMAT: 'json',
  });

  it("when a second process starts on the same STORE_PATH, then it exits 1 naming the file and the holder's pid", async () => {
    const storePath = path.join(dir, 'driver.db');
    first = await spawnService([DIST_MAIN], base(storePath));

    const second = await runToExit(base(storePath));

    expect(second.code).toBe(1);
    expect(second.output).toContain(`store ${storePath} is in use by process ${first.child.pid}`);
    const health = await fetch(`${first.url}/api/ciscovnfmdriver/v1/health`);
    expect(health.status).toBe(200);
  }, 40_000);

  it('when the first process has stopped, then the next one starts on the same file', async () => {
    const storePath = path.join(dir, 'driver.db');
    first = await spawnService([DIST_MAIN], base(storePath));
    first.child.kill('SIGTERM');
    const ended = await first.exited;
    expect(ended).toMatchObject({ code: 0 });

    first = await spawnService([DIST_MAIN], base(storePath));
    expect((await fetch(`${first.url}/api/ciscovnfmdriver/v1/health`)).status).toBe(200);
  }, 40_000);

  it('when MSB_REGISTER=ture, then it exits 1 naming the key', async () => {
    const run = await runToExit({ ...base(path.join(dir, 'driver.db')), MSB_REGISTER: 'ture' });

    expect(run.code).toBe(1);
    expect(run.output).toContain('MSB_REGISTER: must be true or false, got "ture"');
  }, 20_000);

  it('when STORE_PATH is a directory, then it exits 1 naming the path', async () => {
    const run = await runToExit(base(dir));

    expect(run.code).toBe(1);
    expect(run.output).toContain(`cannot open store file ${dir}: it is a directory, not a file`);
  }, 20_000);
});
