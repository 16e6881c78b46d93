import { execFileSync } from 'node:child_process';
import { cpus as cpuList, setPriority } from 'node:os';

/** Nice value of the peers that stand in for machines of their own (ESC, NSLCM). */
const PEER_NICE = 10;
/** Nice value the load generator asks for (when allowed), so that its own scheduling delays stay out of the round trips it measures. */
const MEASURER_NICE = -10;

/**
 * Gives the process under test a CPU of its own, as it has in production, on a machine where the bench's other
 * processes would otherwise take turns with it on the same cores: `measured` (every thread) is pinned to the first
 * CPU, the load generator (`self`) and the `peers` to the others, and the peers run at nice 10 so that the load
 * generator's round-trip measurements are not held up by them either. Needs Linux `taskset` and at least two
 * CPUs; returns what was done, or why nothing was. The load generator's main thread also asks for nice -10
 * (allowed to root or with CAP_SYS_NICE): it measures round trips, and a poll answered at once but read late
 * because the load generator waited for a CPU behind the driver's poll thread would be charged to the driver.
 * Call {@link releaseProcess} for `self` once the run is over, as processes started later inherit its CPUs.
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
  let measurer = `load generator at nice ${MEASURER_NICE}`;
  try {
    setPriority(MEASURER_NICE); // pid 0: on Linux, the calling thread
  } catch (err) {
    measurer = `load generator at its normal priority (nice ${MEASURER_NICE} refused: ${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return `driver's main thread pinned to CPU 0; load generator, simulator and NSLCM stub on CPU ${rest}, simulator and stub at nice ${PEER_NICE}, ${measurer}`;
}

/** Lets `pid` (every thread) run on every CPU again, and its main thread at nice 0. */
export function releaseProcess(pid: number): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', `0-${Math.max(0, cpuList().length - 1)}`, String(pid)], { stdio: 'ignore' });
    setPriority(pid, 0);
  } catch {
    // nothing was placed, or taskset is missing: nothing to undo
  }
}
