import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { OPENAPI_FILE } from '../../../src/api/openapi-document';
import { DEFAULT_CONFIG_FILE } from '../../../src/config/config-loader';
import { DEFAULT_STANDALONE_DIR } from '../../../src/standalone/standalone-config';
import { freePort } from '../../support/free-port';
import {
  cmdOf,
  copiesOf,
  envOf,
  healthcheckOf,
  instructionsOf,
  isIgnored,
  parseDockerfile,
  volumesOf,
  workdirOf,
  type Command,
  type CopySpec,
  type Stage,
} from './dockerfile';

/**
 * The image cannot be built here (no container engine), so this test rebuilds the final stage's file
 * layout from the Dockerfile in a temporary directory and runs the service there, as the image would.
 */
const REPO = path.resolve(__dirname, '..', '..', '..');
const DOCKERFILE = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = fs.readFileSync(path.join(REPO, '.dockerignore'), 'utf8');
const STAGES = parseDockerfile(DOCKERFILE);
const FINAL = STAGES[STAGES.length - 1];
const BASE = '/api/ciscovnfmdriver/v1';

/** Where a COPY source lives in this checkout: the build context, or (for `--from=<stage>`) the stage's output. */
function repoPathOf(copy: CopySpec, source: string): string {
  if (copy.from === undefined) return path.join(REPO, source);
  const stage = STAGES.find((s) => s.name === copy.from);
  if (!stage) throw new Error(`COPY --from=${copy.from} (line ${copy.line}) names no stage of this Dockerfile`);
  // The build stage works in the same layout as the checkout: <WORKDIR>/dist is ./dist after `npm run build`.
  return path.join(REPO, path.posix.relative(workdirOf(stage), path.posix.resolve(workdirOf(stage), source)));
}

/** Path inside the image of a COPY destination (relative ones are below the stage's WORKDIR). */
function imagePathOf(stage: Stage, dest: string): string {
  return path.posix.resolve(workdirOf(stage), dest);
}

/** Package name of a bare module specifier (`@scope/name/x` → `@scope/name`, `name/x` → `name`). */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Runs a command as Docker would (shell form through `sh -c`); resolves with its exit code. */
function runCommand(command: Command, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number | null> {
  const child =
    command.form === 'shell'
      ? spawn('sh', ['-c', command.script], { cwd, env, stdio: 'ignore' })
      : spawn(command.argv[0], command.argv.slice(1), { cwd, env, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('the Dockerfile final stage', () => {
  it('when read, then it runs as a non-root user, keeps state in the volume, exposes 8489 and has a health check', () => {
    const user = instructionsOf(FINAL, 'USER')
      .map((i) => i.args)
      .pop();
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(volumesOf(FINAL)).toEqual(['/var/lib/esc-vnfm-driver']);
    const env = envOf(FINAL);
    expect(path.posix.dirname(env.STORE_PATH)).toBe('/var/lib/esc-vnfm-driver');
    expect(path.posix.dirname(env.ESC_KNOWN_HOSTS)).toBe('/var/lib/esc-vnfm-driver');
    expect(instructionsOf(FINAL, 'EXPOSE').map((i) => i.args)).toEqual([env.PORT ?? '8489']);
    const health = healthcheckOf(FINAL);
    expect(health?.command.form).toBe('shell');
    expect(health?.options).toMatchObject({ interval: expect.any(String) as unknown, timeout: expect.any(String) as unknown });
    expect(cmdOf(FINAL)).toEqual({ form: 'exec', argv: ['node', 'dist/main.js'] });
  });

  it('when its COPY sources are looked up, then each exists, none is left out by .dockerignore, and no source code is copied', () => {
    const missing: string[] = [];
    for (const stage of STAGES) {
      for (const copy of copiesOf(stage)) {
        for (const source of copy.sources) {
          if (!fs.existsSync(repoPathOf(copy, source))) missing.push(`line ${copy.line}: ${source}`);
          if (copy.from === undefined && isIgnored(DOCKERIGNORE, source)) missing.push(`line ${copy.line}: ${source} is in .dockerignore`);
        }
      }
    }
    expect(missing).toEqual([]);
    const finalSources = copiesOf(FINAL).flatMap((c) => c.sources.map((s) => path.posix.relative('/app', path.posix.resolve('/app', s))));
    expect(finalSources.filter((s) => s === 'src' || s.startsWith('src/') || s.endsWith('.ts'))).toEqual([]);
  });

  it('when its base images are read, then every stage runs the same supported Node LTS, pinned to an exact release that engines allows', () => {
    const images = [...new Set(STAGES.map((s) => s.image))];
    expect(images).toHaveLength(1);
    const m = /^node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim$/.exec(images[0]);
    expect({ image: images[0], pinned: m !== null }).toEqual({ image: images[0], pinned: true });
    const major = Number(m![1]);
    expect([22, 24]).toContain(major);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    const allowedMajors = pkg.engines.node.split('||').map((r) => r.trim());
    // The image's runtime, and Node 20 that CI runs the tests on.
    expect(allowedMajors).toEqual(expect.arrayContaining([`${major}.x`, '20.x']));
    expect(allowedMajors).toContain(`${process.versions.node.split('.')[0]}.x`);
  });

  it('when .dockerignore is read, then dependencies, build output, local data, tests and git history stay out of the context', () => {
    for (const p of [
      'node_modules',
      'dist',
      'data/driver.db',
      'test/unit',
      '.git',
      'bench',
      'coverage',
      'deploy/kubernetes/base/deployment.yaml',
      'docs/nslcm-contract.md',
      'README.md',
      '.env',
      'scripts/demo.ts',
    ]) {
      expect({ path: p, ignored: isIgnored(DOCKERIGNORE, p) }).toEqual({ path: p, ignored: true });
    }
    for (const p of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'src/main.ts',
      'config/default.json',
      'config/rules.default.yaml',
      'swagger/northbound.openapi.json',
      'LICENSE',
    ]) {
      expect({ path: p, ignored: isIgnored(DOCKERIGNORE, p) }).toEqual({ path: p, ignored: false });
    }
  });

  it('when the built code requires packages, then each is a production dependency (the image has no dev dependencies)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const dist = path.join(REPO, 'dist');
    if (!fs.existsSync(path.join(dist, 'main.js'))) throw new Error('dist/main.js is missing; run npm run build first');
    const required = new Set<string>();
    for (const file of listFiles(dist).filter((f) => f.endsWith('.js'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/require(?:\.resolve)?\(\s*["']([^"'.][^"']*)["']\s*\)/g)) {
        const spec = m[1];
        if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
        required.add(packageNameOf(spec));
      }
    }
    expect(required.size).toBeGreaterThan(0);
    expect([...required].filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });
});

describe('the service in the final stage layout', () => {
  let root: string;
  let app: string;
  let child: ChildProcess | undefined;
  let exited: Promise<number | null>;
  let stdout = '';
  let stderr = '';

  /** The file system of the image below `root`: COPY'd paths from this checkout, node_modules as a link. */
  function assembleLayout(): void {
    for (const copy of copiesOf(FINAL)) {
      for (const source of copy.sources) {
        const from = repoPathOf(copy, source);
        const destInImage = imagePathOf(FINAL, copy.dest);
        const intoFolder = copy.dest.endsWith('/') || copy.dest === '.' || copy.sources.length > 1;
        const to = path.join(
          root,
          fs.statSync(from).isDirectory() || !intoFolder ? destInImage : path.posix.join(destInImage, path.basename(source)),
        );
        fs.mkdirSync(path.dirname(to), { recursive: true });
        if (path.basename(from) === 'node_modules') fs.symlinkSync(from, to, 'dir');
        else fs.cpSync(from, to, { recursive: true });
      }
    }
    // RUN mkdir -p <volume>: the volume exists and is writable by the service user.
    for (const volume of volumesOf(FINAL)) fs.mkdirSync(path.join(root, volume), { recursive: true });
  }

  /** The Dockerfile's ENV with its image paths moved below `root`, plus `overrides`. */
  function imageEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
    for (const [key, value] of Object.entries(envOf(FINAL))) {
      env[key] = volumesOf(FINAL).some((v) => value === v || value.startsWith(`${v}/`)) ? path.join(root, value) : value;
    }
    return { ...env, ...overrides };
  }

  beforeAll(() => {
    if (!fs.existsSync(path.join(REPO, 'dist', 'main.js'))) throw new Error('dist/main.js is missing; run npm run build first');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'image-layout-'));
    app = path.join(root, workdirOf(FINAL));
    assembleLayout();
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('when laid out, then the files the built code reads next to itself are there', () => {
    for (const needed of [
      DEFAULT_CONFIG_FILE,
      OPENAPI_FILE,
      path.join(DEFAULT_STANDALONE_DIR, 'vnfms.json'),
      path.join(REPO, 'dist', 'main.js'),
    ]) {
      const rel = path.relative(REPO, needed);
      expect({ file: rel, present: fs.existsSync(path.join(app, rel)) }).toEqual({ file: rel, present: true });
    }
    expect(fs.existsSync(path.join(app, 'src'))).toBe(false);
  });

  it('when the image command starts there, then health answers 200, the HEALTHCHECK passes, logs are JSON on stdout and state stays in the volume', async () => {
    const cmd = cmdOf(FINAL);
    if (cmd?.form !== 'exec') throw new Error('CMD must be in exec form');
    const before = fs.readdirSync(app).sort();
    const env = imageEnv({ PORT: '0', HOST: '127.0.0.1', ESC_SIMULATOR_PORT: '0' });
    child = spawn(cmd.argv[0], cmd.argv.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => child!.once('exit', (code) => resolve(code)));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "service started" line: ${stdout}${stderr}`)), 20_000);
      child!.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n').find((l) => l.includes('"service started"'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { port: number }).port);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${stderr}`));
      });
    });
    const url = `http://127.0.0.1:${port}`;

    const health = await fetch(`${url}${BASE}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'active' });
    expect((await fetch(`${url}${BASE}/swagger.json`)).status).toBe(200);
    expect((await fetch(`${url}${BASE}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${url}${BASE}/standalone/notifications`)).status).toBe(200);

    const check = healthcheckOf(FINAL)!.command;
    expect(await runCommand(check, app, { ...env, PORT: String(port) }, 10_000)).toBe(0);
    expect(await runCommand(check, app, { ...env, PORT: String(await freePort()) }, 10_000)).not.toBe(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => !l.startsWith('{'))).toEqual([]);
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(
      expect.arrayContaining(['service started', 'service stopped']),
    );
    expect(fs.readdirSync(app).sort()).toEqual(before);
    const volume = path.join(root, volumesOf(FINAL)[0]);
    expect(fs.existsSync(path.join(volume, path.posix.basename(envOf(FINAL).STORE_PATH)))).toBe(true);
  }, 40_000);
});
