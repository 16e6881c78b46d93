import type { ReplicaFleet } from './replica-fleet';

/** A pseudo-random source in [0, 1) that a seed reproduces (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of {@link injectFaults}. Times in ms. */
export interface FaultPlan {
  /** Faults to inject at least (the run goes on injecting until `until` says stop, once this many are done). */
  minFaults: number;
  /** Faults to inject at most. */
  maxFaults: number;
  /** Pause before each fault, drawn between these. */
  gapMs: [number, number];
  /** How long a frozen replica stays frozen (longer than the job lease, so that another replica takes over). */
  freezeMs: number;
  /** How long a killed replica stays down before it is started again. */
  downMs: number;
  /** Share of faults that are kills (the rest are freezes). */
  killShare: number;
  random: () => number;
  /** True when the run no longer needs faults (its lifecycles ended). */
  until: () => boolean;
}

/**
 * Kills and freezes replicas at random, one at a time, never the last one running: wait a random gap, pick a
 * running replica, SIGKILL it (started again after `downMs`) or SIGSTOP it (SIGCONT after `freezeMs`), wait for it
 * to run again; until `maxFaults`, or `until()` once `minFaults` were injected. Resolves with the number injected.
 */
export async function injectFaults(
  fleet: Pick<ReplicaFleet, 'replicas' | 'kill' | 'restart' | 'freeze' | 'thaw'>,
  plan: FaultPlan,
): Promise<number> {
  let injected = 0;
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  while (injected < plan.maxFaults && !(injected >= plan.minFaults && plan.until())) {
    const [lo, hi] = plan.gapMs;
    await pause(lo + plan.random() * (hi - lo));
    const running = fleet.replicas.filter((r) => r.state === 'up');
    if (running.length < 2) continue;
    const victim = running[Math.floor(plan.random() * running.length)];
    if (plan.random() < plan.killShare) {
      await fleet.kill(victim.id);
      await pause(plan.downMs);
      await fleet.restart(victim.id);
    } else {
      await fleet.freeze(victim.id);
      await pause(plan.freezeMs);
      fleet.thaw(victim.id);
    }
    injected++;
  }
  return injected;
}
