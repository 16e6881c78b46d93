import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST_MAIN, killIfRunning, logLines, spawnService, type ChildService } from '../../support/http-child-process';
import { waitFor } from '../../support/waiting';

/** Runs `node dist/main.js` to its end; the exit code and what it wrote on stderr. */
function runToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [DIST_MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

const rule = (name: string, extra = '') =>
  `  - name: ${name}\n    event: { kind: escUnreachable }\n${extra}    actions: [ { log: { message: 'ESC {escHost} down' } } ]\n`;

describe('the built service and its rules file', () => {
  let dir: string;
  let svc: ChildService | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-process-'));
  });

  afterEach(async () => {
    await killIfRunning(svc);
    svc = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = (rulesFile: string): Record<string, string> => ({
    PORT: '0',
    HOST: '127.0.0.1',
    ESC_SIMULATOR_PORT: '0',
    STORE_PATH: path.join(dir, 'driver.db'),
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    RULES_FILE: rulesFile,
  });

  it('when RULES_FILE holds a bad rule, then the process exits 1 naming the rule and the field', async () => {
    const file = path.join(dir, 'rules.yaml');
    fs.writeFileSync(file, `rules:\n${rule('good')}${rule('esc-flapping', '    trigger: { count: 0, windowSeconds: 60 }\n')}`);

    const run = await runToExit(env(file));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`invalid rules file ${file}:`);
    expect(run.stderr).toContain("rule 'esc-flapping' (rules[1]): trigger.count: must be an integer from 1 to 10000");
    expect(fs.existsSync(path.join(dir, 'driver.db'))).toBe(false);
  }, 20_000);

  it('when the file is edited and SIGHUP sent, then the new rules apply; an invalid edit is logged and the service keeps its rules', async () => {
    const file = path.join(dir, 'rules.yaml');
    fs.writeFileSync(file, `rules:\n${rule('a')}`);
    svc = await spawnService([DIST_MAIN], env(file));
    expect(logLines(svc).find((l) => l.message === 'service started')).toMatchObject({ rules: ['a'], ves: 'on' });

    fs.writeFileSync(file, `rules:\n${rule('a')}${rule('b')}`);
    svc.child.kill('SIGHUP');
    await waitFor(() => logLines(svc!).some((l) => l.message === 'rules reloaded'), 5000, { what: 'the reload' });
    expect(logLines(svc).find((l) => l.message === 'rules reloaded')).toMatchObject({ kept: ['a'], added: ['b'], removed: [] });

    fs.writeFileSync(
      file,
      `rules:\n${rule('a')}  - name: c\n    event: { kind: escUnreachable }\n    actions: [ { vmAction: { action: KILL } } ]\n`,
    );
    svc.child.kill('SIGHUP');
    await waitFor(() => logLines(svc!).some((l) => l.message === 'rules file not reloaded: it is invalid; the rules in force stay'), 5000, {
      what: 'the refused reload',
    });
    const refused = logLines(svc).find((l) => l.message === 'rules file not reloaded: it is invalid; the rules in force stay');
    expect(refused?.problems).toEqual([
      { rule: "rule 'c' (rules[1])", field: 'actions[0].vmAction.action', reason: 'must be one of REBOOT, START, STOP' },
    ]);
    expect((await fetch(`${svc.url}/api/ciscovnfmdriver/v1/health`)).status).toBe(200);
    expect(svc.child.exitCode).toBeNull();

    svc.child.kill('SIGTERM');
    expect(await svc.exited).toMatchObject({ code: 0 });
  }, 40_000);
});
