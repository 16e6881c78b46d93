import { injectFaults, seededRandom } from '../../../bench/lib/fault-injector';
import type { Replica } from '../../../bench/lib/replica-fleet';

/** A fleet that only keeps states and a log of what was done to it. */
function fakeFleet(count: number): {
  replicas: Replica[];
  done: string[];
  kill: (id: string) => Promise<void>;
  restart: (id: string) => Promise<void>;
  freeze: (id: string) => Promise<void>;
  thaw: (id: string) => void;
} {
  const replicas: Replica[] = Array.from({ length: count }, (_, i) => ({ id: `r${i + 1}`, state: 'up', logs: [] }));
  const done: string[] = [];
  const set = (id: string, state: Replica['state'], what: string): void => {
    replicas.find((r) => r.id === id)!.state = state;
    done.push(`${what} ${id} (${replicas.filter((r) => r.state === 'up').length} up)`);
  };
  return {
    replicas,
    done,
    kill: async (id) => set(id, 'dead', 'kill'),
    restart: async (id) => set(id, 'up', 'restart'),
    freeze: async (id) => set(id, 'frozen', 'freeze'),
    thaw: (id) => set(id, 'up', 'thaw'),
  };
}

const plan = { gapMs: [0, 1] as [number, number], freezeMs: 1, downMs: 1, killShare: 0.5 };

describe('fault injection', () => {
  it('when a seed is given twice, then the random sequence is the same; another seed gives another one', () => {
    const take = (seed: number): number[] => Array.from({ length: 5 }, seededRandom(seed));

    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    expect(take(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('when faults run, then each replica is brought back before the next fault and one replica at least always runs', async () => {
    const fleet = fakeFleet(2);

    const injected = await injectFaults(fleet, { ...plan, minFaults: 10, maxFaults: 10, random: seededRandom(7), until: () => true });

    expect(injected).toBe(10);
    expect(fleet.done).toHaveLength(20);
    expect(fleet.done.every((line) => !line.endsWith('(0 up)'))).toBe(true);
    expect(fleet.done.filter((l) => l.startsWith('kill')).length + fleet.done.filter((l) => l.startsWith('freeze')).length).toBe(10);
    expect(fleet.done.filter((l) => l.startsWith('kill')).length).toBeGreaterThan(0);
    expect(fleet.done.filter((l) => l.startsWith('freeze')).length).toBeGreaterThan(0);
  });

  it('when the run ends early, then faults go on until the minimum, and stop at the maximum when it never ends', async () => {
    expect(await injectFaults(fakeFleet(3), { ...plan, minFaults: 3, maxFaults: 50, random: seededRandom(1), until: () => true })).toBe(3);
    expect(await injectFaults(fakeFleet(3), { ...plan, minFaults: 3, maxFaults: 5, random: seededRandom(1), until: () => false })).toBe(5);
  });
});
