import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The built entry point (`npm run build` → dist/main.js). */
export const DIST_MAIN = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

/** A service running as a child process. */
export interface ChildService {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node <args>` and waits for the "service started" JSON log line to learn the port (PORT=0).
 * Fails after `timeoutMs` or when the process exits first.
 */
export function spawnService(args: string[], env: Record<string, string>, timeoutMs = 15000): Promise<ChildService> {
  if (!fs.existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing; run npm run build first`);
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start: ${out}${err}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"service started"'));
      if (!line) return;
      clearTimeout(timer);
      const port = (JSON.parse(line) as { port: number }).port;
      resolve({ child, url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited });
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}: ${err}`));
    });
  });
}

/** Kills `svc` with SIGKILL unless it has already ended (or was never started), and waits for its exit. */
export async function killIfRunning(svc: ChildService | undefined): Promise<void> {
  if (!svc || svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  svc.child.kill('SIGKILL');
  await svc.exited;
}

/** The JSON log lines a child wrote so far. */
export function logLines(svc: ChildService): Array<Record<string, unknown>> {
  return svc
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Node code that starts the built service with a southbound whose instantiate reports two steps, checkpoints,
 * then waits until aborted — so the job stays unfinished when the process is killed.
 */
export function hangingSouthboundScript(): string {
  return `
const { startService } = require(${JSON.stringify(DIST_MAIN)});
const wait = (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
const run = async (ctx) => {
  if (!ctx.resumed) { ctx.job.progress(10, 'deployment sent'); ctx.job.checkpoint({ deployment: 'dep-1' }); ctx.job.progress(40, 'VM_DEPLOYED 1/2'); }
  else ctx.job.progress(50, 'resumed with ' + JSON.stringify(ctx.job.state));
  await wait(ctx);
};
startService({
  config: { port: 0, host: '127.0.0.1', storePath: process.env.STORE_PATH, logLevel: 'info' },
  southbound: { instantiate: run, terminate: run, scale: run, heal: run, operate: run, query: async () => ({}) },
});`;
}

/** Node code that starts the built service with no southbound: the store and the API only (operations answer 503). */
export function storeOnlyServiceScript(): string {
  return `
const { startService } = require(${JSON.stringify(DIST_MAIN)});
startService({ config: { port: 0, host: '127.0.0.1', storePath: process.env.STORE_PATH, logLevel: 'info' } });`;
}
