import { spawn, type ChildProcess } from 'node:child_process';

/** Line a server script prints on stdout once it listens: `READY <port>`. */
export const READY_PREFIX = 'READY ';

/** A server running in its own process on 127.0.0.1. */
export interface ChildServer {
  port: number;
  pid: number;
  /** Closes the child's stdin (its signal to stop) and waits for it to exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `script` (TypeScript, with the loader this process runs under) in a child process and waits for its
 * READY line. The child must exit when its stdin ends, so it also goes away if this process dies.
 */
export function startChildServer(script: string, args: readonly string[], timeoutMs = 20_000): Promise<ChildServer> {
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${script} did not print READY within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', fail);
    void exited.then(() => fail(new Error(`${script} exited before READY (exit ${child.exitCode}): ${out.trim()}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({ port: Number(line.slice(READY_PREFIX.length)), pid: child.pid!, stop: (grace) => stopChild(child, exited, grace) });
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin!.end();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  if ((await Promise.race([exited, late])) === 'late') child.kill('SIGKILL');
  clearTimeout(timer);
  await exited;
}

/** In a server script: prints the READY line and stops (calling `stop`) when stdin ends. */
export function announceReady(port: number, stop: () => Promise<void>): void {
  process.stdout.write(`${READY_PREFIX}${port}\n`);
  process.stdin.on('end', () => {
    void stop().finally(() => process.exit(0));
  });
  process.stdin.resume();
}
