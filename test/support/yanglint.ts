import { execFileSync, spawnSync } from 'node:child_process';

/** True when yanglint (Debian's libyang2-tools) can be run here; under CI=true its absence is an error. */
export function yanglintAvailable(): boolean {
  try {
    execFileSync('yanglint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('yanglint is missing; install libyang2-tools (required under CI=true)');
    console.warn('SKIPPED: yanglint not found (apt-get install libyang2-tools)');
    return false;
  }
}

/** yanglint's complaint about `file` as data of `type` (`edit`, `get`, `notif`…) for `modules`, or '' when it validates. */
export function yanglintProblem(type: string, modules: readonly string[], file: string, label = file): string {
  const r = spawnSync('yanglint', ['-t', type, ...modules, file], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? '' : `${label}: ${r.stderr}${r.stdout}`;
}
