import { execFileSync } from 'node:child_process';
import { cpus as cpuList, setPriority } from 'node:os';

/** Nice value of the peers that stand in for machines of their own (ESC, NSLCM). */
const PEER_NICE = 10;

/**
 * Gives the process under test a CPU of its own, as it has in production, on a machine where the bench's other
 * processes would otherwise take turns with it on the same cores: `measured` (every thread) is pinned to the first
 * CPU, the load generator (`self`) and the `peers` to the others, and the peers run at nice 10 so that the load
 * generator's round-trip measurements are not held up by them either. Needs Linux `taskset` and at least two
 * CPUs; returns what was done, or why nothing was. Call {@link releaseProcess} for `self` once the run is over,
 * as processes started later inherit its CPUs.
 */
export function isolateMeasuredProcess(measured: number, self: number, peers: readonly number[]): string {
  const cpus = cpuList().length;
  if (cpus < 2) return `processes not placed: ${cpus} CPU`;
  const rest = cpus === 2 ? '1' : `1-${cpus - 1}`;
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(measured)], { stdio: 'ignore' });
    for (const pid of [self, ...peers]) execFileSync('taskset', ['-a', '-p', '-c', rest, String(pid)], { stdio: 'ignore' });
  } catch (err) {
    return `processes not placed: taskset failed (${(err as Error).message.split('\n')[0]})`;
  }
  for (const pid of peers) setPriority(pid, PEER_NICE);
  return `driver pinned to CPU 0; load generator, simulator and NSLCM stub on CPU ${rest}, simulator and stub at nice ${PEER_NICE}`;
}

/** Lets `pid` (every thread) run on every CPU again. */
export function releaseProcess(pid: number): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', `0-${Math.max(0, cpuList().length - 1)}`, String(pid)], { stdio: 'ignore' });
  } catch {
    // nothing was placed, or taskset is missing: nothing to undo
  }
}
