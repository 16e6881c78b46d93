import { applyMigrations, type Db } from '../store/database';
import { settled } from '../store/settled';
import type { NewVesOutboxRow, VesOutboxCounts, VesOutboxRow, VesOutboxState, VesOutboxStore } from './ves-outbox-store';

/** Schema of the VES outbox (component `ves`). Append new entries; never edit a released one. */
export const VES_OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE ves_outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     source_name TEXT NOT NULL,
     event_id TEXT NOT NULL UNIQUE,
     sequence INTEGER NOT NULL,
     body TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     created_at INTEGER NOT NULL,
     settled_at INTEGER)`,
  `CREATE INDEX ves_outbox_source ON ves_outbox (source_name, id) WHERE state = 'pending'`,
  `CREATE INDEX ves_outbox_due ON ves_outbox (next_attempt_at, id) WHERE state = 'pending'`,
  // The last sequence given per source, kept when delivered rows are purged so that a source never reuses one.
  `CREATE TABLE ves_sequences (source_name TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL)`,
];

const COLUMNS = `id, source_name AS sourceName, event_id AS eventId, sequence, body, state, attempts,
  next_attempt_at AS nextAttemptAt, last_error AS lastError, created_at AS createdAt, settled_at AS settledAt`;

/** A pending row with no older pending row of its source: the only one of that source that may be sent. */
const HEAD = `state = 'pending' AND NOT EXISTS (
  SELECT 1 FROM ves_outbox older WHERE older.state = 'pending' AND older.source_name = ves_outbox.source_name
    AND older.id < ves_outbox.id)`;

/**
 * The VES outbox's rows in the driver's SQLite file, statements prepared once. better-sqlite3 is synchronous: each
 * method does its work when called and answers with an already settled Promise.
 */
export class SqliteVesOutboxStore implements VesOutboxStore {
  private readonly stmts;
  private readonly insertTx;

  constructor(private readonly db: Db) {
    applyMigrations(db, 'ves', VES_OUTBOX_MIGRATIONS);
    this.stmts = {
      nextSequence: db.prepare(
        `INSERT INTO ves_sequences (source_name, last_sequence) VALUES (?, 1)
         ON CONFLICT (source_name) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence AS s`,
      ),
      insert: db.prepare(
        `INSERT INTO ves_outbox (source_name, event_id, sequence, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      dueHeads: db.prepare(
        `SELECT ${COLUMNS} FROM ves_outbox INDEXED BY ves_outbox_due
         WHERE next_attempt_at <= ? AND ${HEAD} ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      nextHeads: db.prepare(
        `SELECT source_name AS s, next_attempt_at AS t FROM ves_outbox INDEXED BY ves_outbox_due
         WHERE ${HEAD} ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      markDelivered: db.prepare(
        `UPDATE ves_outbox SET state = 'delivered', attempts = attempts + 1, last_error = NULL, settled_at = ? WHERE id = ?`,
      ),
      markRetry: db.prepare(`UPDATE ves_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`),
      markFailed: db.prepare(
        `UPDATE ves_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, settled_at = ? WHERE id = ?`,
      ),
      counts: db.prepare(`SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM ves_outbox GROUP BY state`),
      purgeSettled: db.prepare(`DELETE FROM ves_outbox WHERE state != 'pending' AND settled_at < ?`),
    };
    this.insertTx = db.transaction((row: NewVesOutboxRow, now: number): VesOutboxRow => {
      const { s: sequence } = this.stmts.nextSequence.get(row.sourceName) as { s: number };
      const res = this.stmts.insert.run(row.sourceName, row.eventId, sequence, row.body, now, now);
      return {
        ...row,
        id: Number(res.lastInsertRowid),
        sequence,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        createdAt: now,
        settledAt: null,
      };
    });
  }

  insert(row: NewVesOutboxRow, now: number): Promise<VesOutboxRow> {
    return settled(() => this.insertTx(row, now));
  }

  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<VesOutboxRow[]> {
    return settled(() => {
      if (limit <= 0) return [];
      // At most busy.size of the earliest heads belong to busy sources.
      const rows = this.stmts.dueHeads.all(now, limit + busy.size) as VesOutboxRow[];
      return rows.filter((r) => !busy.has(r.sourceName)).slice(0, limit);
    });
  }

  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    return settled(() => {
      const rows = this.stmts.nextHeads.all(busy.size + 1) as { s: string; t: number }[];
      return rows.find((r) => !busy.has(r.s))?.t;
    });
  }

  markDelivered(ids: readonly number[], now: number): Promise<void> {
    return settled(() => this.db.transaction(() => ids.forEach((id) => this.stmts.markDelivered.run(now, id)))());
  }

  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return settled(() => void this.stmts.markRetry.run(error, nextAttemptAt, id));
  }

  markFailed(id: number, error: string, now: number): Promise<void> {
    return settled(() => void this.stmts.markFailed.run(error, now, id));
  }

  counts(): Promise<VesOutboxCounts> {
    return settled(() => {
      const rows = this.stmts.counts.all() as { state: VesOutboxState; n: number; oldest: number }[];
      const out: VesOutboxCounts = { pending: 0, delivered: 0, failed: 0 };
      for (const r of rows) {
        out[r.state] = r.n;
        if (r.state === 'pending') out.oldestPendingAt = r.oldest;
      }
      return out;
    });
  }

  purgeSettled(before: number): Promise<number> {
    return settled(() => this.stmts.purgeSettled.run(before).changes);
  }
}
