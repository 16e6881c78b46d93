import { spawn } from 'node:child_process';

/** Of `flags`, those `execArgv` (the flags node was started with) does not have yet, in their order. */
export function missingNodeFlags(execArgv: readonly string[], flags: readonly string[]): string[] {
  return flags.filter((flag) => !execArgv.includes(flag));
}

/**
 * Runs `script` with `args` again in a child node started with `flags` in front of this process's own flags (its
 * TypeScript loader among them), for flags that V8 takes only at start-up, and resolves with the child's exit code
 * (1 when a signal ended it); SIGINT and SIGTERM received meanwhile are passed on to it. Resolves undefined at once,
 * starting nothing, when this process already runs with every one of `flags`.
 */
export function rerunWithNodeFlags(flags: readonly string[], script: string, args: readonly string[]): Promise<number> | undefined {
  const missing = missingNodeFlags(process.execArgv, flags);
  if (missing.length === 0) return undefined;
  const child = spawn(process.execPath, [...missing, ...process.execArgv, script, ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`could not start node ${missing.join(' ')}: ${err.message}\n`);
      resolve(1);
    });
    child.once('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}
