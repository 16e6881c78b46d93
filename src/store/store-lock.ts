import { randomUUID } from 'node:crypto';
import os from 'node:os';
import Database from 'better-sqlite3';
import { StoreFileError } from './store-errors';

/** Another process holds the store: `holder` says which one, as far as it wrote it down. */
export class StoreLockedError extends Error {
  readonly code = 'STORE_LOCKED';
  constructor(
    readonly storePath: string,
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'another process';
    super(`store ${storePath} is in use by ${who}: only one driver may run on a store file (lock ${lockPath})`);
    this.name = 'StoreLockedError';
  }
}

/** Who holds a lock. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** How often a start retries when the holder it found is itself (two starts racing for the lock), and the pause. */
const RACE_RETRIES = 20;
const RACE_PAUSE_MS = 10;

/**
 * Exclusive use of a store file by one process, held through SQLite's own file locking on a small database
 * beside it (`<store>.lock`): the holder keeps a write transaction open (a RESERVED lock) for as long as it
 * runs. The operating system drops that lock when the process ends, however it ends, so a lock left by a
 * crashed process needs no clean-up and no guess about whether a pid is still alive (pids repeat in
 * containers). Before taking the lock for good, the holder commits its pid, host and start time there, so
 * that a second process, which can still read committed rows, names it when it refuses to start.
 */
export class StoreLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock of `storePath`; throws {@link StoreLockedError} naming the holder when another process has it. */
  static acquire(storePath: string): StoreLock {
    const lockPath = `${storePath}.lock`;
    let db: Database.Database;
    try {
      db = new Database(lockPath, { timeout: 0 });
      db.pragma('journal_mode = DELETE');
    } catch (err) {
      throw new StoreFileError(lockPath, err);
    }
    const token = randomUUID();
    try {
      for (let attempt = 0; ; attempt++) {
        const outcome = tryTake(db, token);
        if (outcome === 'taken') return new StoreLock(db);
        if (outcome.token !== token || attempt >= RACE_RETRIES) throw new StoreLockedError(storePath, lockPath, outcome.holder);
        // Another start took the lock right after this one committed its row: wait until it has written its own.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RACE_PAUSE_MS);
      }
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Lets go of the lock (idempotent). */
  release(): void {
    if (this.db.open) this.db.close();
  }
}

type Taken = 'taken' | { holder: LockHolder | undefined; token: string | undefined };

/** One attempt: write our row and commit, then open the transaction that is the lock and check the row is still ours. */
function tryTake(db: Database.Database, token: string): Taken {
  if (!begin(db)) return readHolder(db);
  db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, token TEXT NOT NULL)');
  db.exec('DELETE FROM holder');
  db.prepare('INSERT INTO holder (pid, host, since, token) VALUES (?, ?, ?, ?)').run(
    process.pid,
    os.hostname(),
    new Date().toISOString(),
    token,
  );
  db.exec('COMMIT');
  if (!begin(db)) return readHolder(db);
  const row = db.prepare('SELECT token FROM holder').get() as { token: string } | undefined;
  if (row?.token === token) return 'taken';
  db.exec('ROLLBACK');
  return readHolder(db);
}

/** BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. */
function begin(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw err;
  }
}

function readHolder(db: Database.Database): { holder: LockHolder | undefined; token: string | undefined } {
  try {
    const row = db.prepare('SELECT pid, host, since, token FROM holder').get() as (LockHolder & { token: string }) | undefined;
    return row ? { holder: { pid: row.pid, host: row.host, since: row.since }, token: row.token } : { holder: undefined, token: undefined };
  } catch {
    return { holder: undefined, token: undefined };
  }
}
