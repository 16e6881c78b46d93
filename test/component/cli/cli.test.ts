import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildInstantiateBody, loadDemoPlan } from '../../../src/standalone/demo/demo-plan';
import { DEFAULT_STANDALONE_DIR } from '../../../src/standalone/standalone-config';
import { DIST_MAIN, spawnService, type ChildService } from '../../support/http-child-process';
import { postJson } from '../../support/http-service';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DIST_CLI = path.join(REPO, 'dist', 'cli.js');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command line (node dist/cli.js, or another script) to its end. */
function run(args: string[], env: Record<string, string> = {}, script = DIST_CLI, timeoutMs = 20_000): Promise<Run> {
  if (!fs.existsSync(script)) throw new Error(`${script} is missing; run npm run build first`);
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('the command line of the package (dist/cli.js)', () => {
  it('when asked --help, then it prints the usage with every command and exits 0; node dist/main.js --help does the same instead of starting', async () => {
    const help = await run(['--help']);
    const viaMain = await run(['--help'], {}, DIST_MAIN, 5_000);

    expect(help.code).toBe(0);
    for (const command of ['serve', 'check-config', 'vnfs list', 'vnfs show', 'jobs list', 'jobs show', 'jobs follow'])
      expect(help.stdout).toContain(command);
    expect(viaMain).toEqual(help);
  }, 30_000);

  it('when asked --version, then it prints the package version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  }, 20_000);

  it('when the usage is wrong, then it exits 2 saying what is wrong', async () => {
    const unknown = await run(['reboot']);
    const noId = await run(['jobs', 'follow']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "reboot"');
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('jobs follow needs an id');
  }, 20_000);

  it('when check-config runs on valid settings, then it exits 0 listing them with secrets masked', async () => {
    const valid = await run(['check-config'], { MSB_REGISTER: 'true', MSB_URL: 'http://msb:80', PORT: '9000' });

    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('configuration is valid');
    expect(valid.stdout).toContain('  PORT=9000');
    expect(valid.stdout).toContain('  MSB_REGISTER=true');
    expect(valid.stdout).toMatch(/rules file .*rules\.default\.yaml is valid: vm-down-esc-recovering, vm-down, /);
  }, 20_000);

  it('when check-config runs on a bad rules file, then it exits 1 naming the rule and the field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-rules-'));
    try {
      const file = path.join(dir, 'rules.yaml');
      fs.writeFileSync(
        file,
        'rules:\n  - name: r\n    event: { types: [VM_ALIVE] }\n    actions: [ { raiseFault: { alarmCondition: a, specificProblem: b } } ]\n',
      );
      const bad = await run(['check-config'], { RULES_FILE: file });

      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`invalid rules file ${file}:`);
      expect(bad.stderr).toContain(
        "rule 'r' (rules[0]): actions[0].raiseFault.severity: is required (one of CRITICAL, MAJOR, MINOR, WARNING)",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('when check-config runs on bad settings, then it exits 1 naming every bad key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-config-'));
    try {
      const file = path.join(dir, 'config.json');
      fs.writeFileSync(file, JSON.stringify({ LOG_FORMAT: 'yaml' }));
      const bad = await run(['check-config'], { MSB_REGISTER: 'ture', PORT: '99999', CONFIG_FILE: file });

      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('MSB_REGISTER: must be true or false, got "ture"');
      expect(bad.stderr).toContain('PORT: must be between 0 and 65535');
      expect(bad.stderr).toContain('LOG_FORMAT: must be one of json|text');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('when the driver is not running, then vnfs list exits 1 saying it is unreachable', async () => {
    const down = await run(['vnfs', 'list', '--url', 'http://127.0.0.1:9']);

    expect(down.code).toBe(1);
    expect(down.stderr).toContain('driver unreachable at http://127.0.0.1:9');
  }, 20_000);

  describe('against the built service in standalone mode', () => {
    let dir: string;
    let svc: ChildService;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-service-'));
      svc = await spawnService([DIST_MAIN], {
        PORT: '0',
        HOST: '127.0.0.1',
        ESC_SIMULATOR_PORT: '0',
        STORE_PATH: path.join(dir, 'driver.db'),
        LOG_FORMAT: 'json',
      });
    }, 30_000);

    afterAll(async () => {
      svc.child.kill('SIGTERM');
      await svc.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('when a VNF is instantiated, then jobs follow shows its progress to the end, and vnfs list and jobs list show it', async () => {
      const plan = loadDemoPlan(path.join(DEFAULT_STANDALONE_DIR, 'demo.json'));
      const created = await postJson(`${svc.url}/api/ciscovnfmdriver/v1/${plan.vnfmId}/vnfs`, buildInstantiateBody(plan));
      expect(created.status).toBe(201);
      const { jobId, vnfInstanceId } = created.body as { jobId: string; vnfInstanceId: string };
      const driver = ['--url', svc.url, '--vnfm', plan.vnfmId];

      const follow = await run(['jobs', 'follow', jobId, ...driver], {}, DIST_CLI, 120_000);

      expect(follow.stderr).toBe('');
      expect(follow.code).toBe(0);
      const lines = follow.stdout.trim().split('\n');
      expect(lines[0]).toBe(`[job] job ${jobId} started`);
      expect(lines.length).toBeGreaterThan(3);
      expect(lines[lines.length - 1]).toMatch(/^\[job\] 100% finished /);

      const vnfs = await run(['vnfs', 'list', ...driver]);
      expect(vnfs.code).toBe(0);
      expect(vnfs.stdout.split('\n')[0]).toMatch(/^VNF\s+NAME\s+STATUS\s+CREATED\s+ESC DEPLOYMENT$/);
      expect(vnfs.stdout).toMatch(new RegExp(`^${vnfInstanceId}\\s+${plan.vnfInstanceName}\\s+ACTIVE\\s`, 'm'));

      const jobs = await run(['jobs', 'list', '--status', 'finished', '--json', ...driver]);
      expect(jobs.code).toBe(0);
      expect((JSON.parse(jobs.stdout) as { jobs: Array<{ jobId: string }> }).jobs.map((j) => j.jobId)).toEqual([jobId]);

      const badFilter = await run(['jobs', 'list', '--status', 'done', ...driver]);
      expect(badFilter.code).toBe(1);
      expect(badFilter.stderr).toContain('status: status must be one or more of');
    }, 180_000);
  });
});
