import type { Db } from './database';

/** Hands `flush` over to be run once the group's window is over. */
export type FlushScheduler = (flush: () => void) => void;

interface Waiting {
  value: unknown;
  afterCommit?: (value: never) => void;
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

/**
 * How long a group stays open after its first write, ms. Each commit writes every page its group changed to the
 * WAL, whole, so commits, not statements, are what a busy driver's store costs; with 200 lifecycles at once, groups
 * closed at the end of each event-loop turn held about 3 writes and cost ~11 WAL pages each (13 commits per
 * instantiate+terminate lifecycle), groups kept open for 4 ms hold about 12 (3.7 times fewer commits). A write is
 * answered at most this much later; NSLCM, which polls a job every 2 s, cannot tell.
 */
export const GROUP_WINDOW_MS = 4;

/**
 * Group commit for one SQLite connection: the writes asked for within {@link GROUP_WINDOW_MS} of the first one
 * share one transaction.
 *
 * Each write runs at once, in a savepoint of the open transaction (so a write that throws leaves nothing behind
 * and fails alone), and its Promise resolves only after the COMMIT that holds it, which runs once the window is
 * over. A caller therefore still learns of a write only once it is committed, as with one transaction per write;
 * what changes is the number of commits: hundreds of jobs each recording a step within a few milliseconds cost one
 * WAL commit instead of one each (a commit, not a statement, is what costs: the WAL frames of every page it
 * changed, the wal-index update, now and then a checkpoint).
 *
 * Reads on the connection see the writes of the open transaction; reads that must only see committed data call
 * {@link flush} first. Work run inside a caller's own transaction (not one of ours) is run as it is: it commits
 * with the caller's. A failed COMMIT rolls the whole group back and rejects every write of it.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private open = false;
  private ended = 0;
  private readonly inSavepoint: (work: () => unknown) => unknown;

  constructor(
    private readonly db: Db,
    private readonly schedule: FlushScheduler = (flush) => void setTimeout(flush, GROUP_WINDOW_MS),
  ) {
    // Called while our transaction is open, better-sqlite3 runs this as SAVEPOINT … RELEASE (ROLLBACK TO on a throw).
    this.inSavepoint = db.transaction((work: () => unknown) => work());
  }

  /**
   * Runs `work` now in the current group and resolves with its value once the group is committed, after running
   * `afterCommit` (e.g. updating a cache of committed data). Rejects at once, with nothing written, when `work` throws.
   */
  write<T>(work: () => T, afterCommit?: (value: T) => void): Promise<T> {
    return this.run(work, afterCommit, true);
  }

  /**
   * {@link write} for work that changes the database with at most one statement (reads aside): SQLite undoes a
   * failed statement by itself and leaves the transaction open, so no savepoint is needed around it.
   */
  writeOne<T>(work: () => T, afterCommit?: (value: T) => void): Promise<T> {
    return this.run(work, afterCommit, false);
  }

  private run<T>(work: () => T, afterCommit: ((value: T) => void) | undefined, savepoint: boolean): Promise<T> {
    if (this.db.inTransaction && !this.open) {
      // A caller's own transaction: it decides when (and whether) this is committed.
      try {
        return Promise.resolve(work());
      } catch (err) {
        return Promise.reject(asError(err));
      }
    }
    if (!this.open) {
      this.db.exec('BEGIN');
      this.open = true;
      this.schedule(this.flush);
    }
    let value: T;
    try {
      value = savepoint ? (this.inSavepoint(work) as T) : work();
    } catch (err) {
      return Promise.reject(asError(err));
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ value, afterCommit: afterCommit, resolve: resolve, reject });
    });
  }

  /** True while a group is open (its writes are visible to this connection but not committed). */
  get pending(): boolean {
    return this.open;
  }

  /**
   * The number of groups ended (committed or rolled back) so far: writes of one open group see the same number,
   * so what a caller noted about the open group's uncommitted writes is known to be stale once it has changed.
   */
  get generation(): number {
    return this.ended;
  }

  /** Commits the open group now (nothing when none is open), then settles its writes. */
  readonly flush = (): void => {
    if (!this.open) return;
    this.open = false;
    this.ended++;
    const group = this.waiting;
    this.waiting = [];
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const w of group) w.reject(asError(err));
      return;
    }
    for (const w of group) {
      try {
        w.afterCommit?.(w.value as never);
        w.resolve(w.value as never);
      } catch (err) {
        w.reject(asError(err));
      }
    }
  };
}

/** The one group commit of each connection: every store sharing a file shares its transactions. */
const groups = new WeakMap<Db, GroupCommit>();

/** The group commit of `db`, made on first use. */
export function groupCommitOf(db: Db): GroupCommit {
  let group = groups.get(db);
  if (!group) groups.set(db, (group = new GroupCommit(db)));
  return group;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
