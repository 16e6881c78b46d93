import { EscResponsibility } from '../../../src/lifecycle/esc-responsibility';
import type { ReconcileLock } from '../../../src/lifecycle/ports';
import { silentLog } from '../../../src/logging/log';
import { waitFor } from '../../support/waiting';

/** A lock shared by "replicas": each key held by at most one owner; `drop` loses a hold as a dead connection would. */
function sharedLock() {
  const holders = new Map<string, { owner: string; lost: boolean }>();
  const tries: string[] = [];
  const lockOf = (owner: string): ReconcileLock => ({
    tryHold: (key) => {
      tries.push(`${owner} ${key}`);
      const current = holders.get(key);
      if (current && !current.lost) return Promise.resolve(undefined);
      const hold = { owner, lost: false };
      holders.set(key, hold);
      return Promise.resolve({
        get lost() {
          return hold.lost;
        },
        release: () => {
          if (holders.get(key) === hold) holders.delete(key);
          return Promise.resolve();
        },
      });
    },
  });
  const drop = (key: string): void => {
    const h = holders.get(key);
    if (h) h.lost = true;
  };
  return { lockOf, holders, tries, drop };
}

describe('EscResponsibility', () => {
  it('without a lock (one process), then it is responsible for every ESC', async () => {
    const r = new EscResponsibility({ retryMs: 1000, log: silentLog });
    expect(r.holds('esc:830')).toBe(true);
    expect(await r.claim('esc:830')).toBe(true);
  });

  it('when two replicas claim one ESC, then exactly one holds it, keeps it, and the other takes over once it stops', async () => {
    const shared = sharedLock();
    const a = new EscResponsibility({ lock: shared.lockOf('a'), retryMs: 10, log: silentLog });
    const b = new EscResponsibility({ lock: shared.lockOf('b'), retryMs: 10, log: silentLog });
    a.start();
    b.start();
    expect(await a.claim('esc:830')).toBe(true);
    expect(await b.claim('esc:830')).toBe(false);
    expect([a.holds('esc:830'), b.holds('esc:830')]).toEqual([true, false]);
    expect(shared.holders.get('reconcile esc:830')?.owner).toBe('a');
    // a keeps it: claiming again asks the store nothing.
    const before = shared.tries.filter((t) => t.startsWith('a ')).length;
    expect(await a.claim('esc:830')).toBe(true);
    expect(shared.tries.filter((t) => t.startsWith('a ')).length).toBe(before);

    await a.stop();
    expect(a.holds('esc:830')).toBe(false);
    await waitFor(() => b.holds('esc:830'));
    await b.stop();
  });

  it('when the connection of a held lock is lost, then the replica stops being responsible until it takes the lock again', async () => {
    const shared = sharedLock();
    const a = new EscResponsibility({ lock: shared.lockOf('a'), retryMs: 60_000, log: silentLog });
    expect(await a.claim('esc:830')).toBe(true);
    shared.drop('reconcile esc:830');
    expect(a.holds('esc:830')).toBe(false);
    expect(await a.claim('esc:830')).toBe(true);
    expect(a.holds('esc:830')).toBe(true);
    await a.stop();
  });
});
