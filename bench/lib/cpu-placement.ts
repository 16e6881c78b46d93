import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus as cpuList, setPriority } from 'node:os';

/** Nice value of the peers that stand in for machines of their own (ESC, NSLCM). */
const PEER_NICE = 10;
/** Nice value the load generator asks for (when allowed), so that its own scheduling delays stay out of the round trips it measures. */
const MEASURER_NICE = -10;

/**
 * Gives the process under test a CPU of its own, as it has in production, on a machine where the bench's other
 * processes would otherwise take turns with it on the same cores: every thread of `measured` is pinned to the first
 * CPU (threads it starts later inherit that), so that its threads take turns only with each other as in a container
 * limited to one CPU; the load generator (`self`) and the `peers` go to the others, and every thread of the peers
 * runs at nice 10 so that the load generator's round-trip measurements are not held up by them either. Needs Linux
 * `taskset` and at least two CPUs; returns what was done, or why nothing was. The load generator also asks for
 * nice -10 for every thread of its own (allowed to root or with CAP_SYS_NICE): it measures round trips, and a poll
 * answered at once but read late because the load generator waited for a CPU would be charged to the driver.
 * Call {@link releaseProcess} for `self` once the run is over, as processes started later inherit its CPUs.
 */
export function isolateMeasuredProcess(measured: number, self: number, peers: readonly number[]): string {
  const cpus = cpuList().length;
  if (cpus < 2) return `processes not placed: ${cpus} CPU`;
  const rest = cpus === 2 ? '1' : `1-${cpus - 1}`;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(measured)], { stdio: 'ignore' });
    for (const pid of [self, ...peers]) execFileSync('taskset', ['-a', '-p', '-c', rest, String(pid)], { stdio: 'ignore' });
  } catch (err) {
    return `processes not placed: taskset failed (${(err as Error).message.split('\n')[0]})`;
  }
  for (const pid of peers) niceEveryThread(pid, PEER_NICE);
  let measurer = `load generator at nice ${MEASURER_NICE}`;
  try {
    niceEveryThread(self, MEASURER_NICE);
  } catch (err) {
    measurer = `load generator at its normal priority (nice ${MEASURER_NICE} refused: ${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return `driver (every thread) pinned to CPU 0; load generator, simulator and NSLCM stub on CPU ${rest}, simulator and stub at nice ${PEER_NICE}, ${measurer}`;
}

/** Lets `pid` (every thread) run on every CPU again, at nice 0. */
export function releaseProcess(pid: number): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', `0-${Math.max(0, cpuList().length - 1)}`, String(pid)], { stdio: 'ignore' });
    niceEveryThread(pid, 0);
  } catch {
    // nothing was placed, or taskset is missing: nothing to undo
  }
}

/**
 * Sets the nice value of every thread `pid` has now (Linux keeps one per thread, and setpriority on a pid reaches
 * only its main thread): a peer's garbage-collector and libuv threads then yield as its main thread does, and the
 * load generator's finish its collections without waiting behind them. A thread started later takes the nice value
 * of the thread that starts it.
 */
function niceEveryThread(pid: number, nice: number): void {
  const threads = readdirSync(`/proc/${pid}/task`).map(Number);
  for (const tid of threads) {
    try {
      setPriority(tid, nice);
    } catch (err) {
      // a thread that ended meanwhile; any other refusal is the caller's to report
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}
