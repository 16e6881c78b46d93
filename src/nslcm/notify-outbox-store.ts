import { checkFence, type JobFence } from '../jobs/job-store';
import { applyMigrations, type Db } from '../store/database';
import { settled } from '../store/settled';
import type { NotifyOutboxStore, OutboxCounts } from './notify-outbox';

/** Schema of the Notify outbox (component `outbox`). Append new entries; never edit a released one. */
export const OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE notify_outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     vnfm_id TEXT NOT NULL,
     vnf_instance_id TEXT NOT NULL,
     job_id TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('START', 'RESULT')),
     operation TEXT NOT NULL,
     body TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     created_at INTEGER NOT NULL,
     settled_at INTEGER,
     UNIQUE (job_id, status))`,
  `CREATE INDEX notify_outbox_pending ON notify_outbox (state, vnf_instance_id, id)`,
  // Pending rows in the order they fall due, so that finding the next ones to send does not read every row.
  `CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at, id) WHERE state = 'pending'`,
  // A change reported under a deterministic id (ESC-initiated changes) is stored once, whoever hears of it.
  `ALTER TABLE notify_outbox ADD COLUMN change_id TEXT;
   CREATE UNIQUE INDEX notify_outbox_change ON notify_outbox (change_id);`,
];

/** Delivery state of an outbox row. */
export type OutboxState = 'pending' | 'delivered' | 'failed';

/** What is stored of a new Notify. */
export type NewOutboxRow = Pick<OutboxRow, 'vnfmId' | 'vnfInstanceId' | 'jobId' | 'status' | 'operation' | 'body'> & {
  /** The change's own id when it has one: a second row with the same id is not stored (the first is answered). */
  changeId?: string;
  /** Stored only while the job `jobId` (when it is one) is owned at this fence, else {@link FencedWriteError}. */
  fence?: JobFence;
};

/** One stored Notify. `body` is the JSON text of the Notify body (uppercase enums). */
export interface OutboxRow {
  id: number;
  vnfmId: string;
  vnfInstanceId: string;
  jobId: string;
  status: 'START' | 'RESULT';
  operation: string;
  body: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  settledAt: number | null;
  changeId: string | null;
}

const COLUMNS = `id, vnfm_id AS vnfmId, vnf_instance_id AS vnfInstanceId, job_id AS jobId, status, operation, body,
  state, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError, created_at AS createdAt, settled_at AS settledAt,
  change_id AS changeId`;

/** A pending row with no older pending row of its VNF: the only one of that VNF that may be sent. */
const HEAD = `state = 'pending' AND NOT EXISTS (
  SELECT 1 FROM notify_outbox older WHERE older.state = 'pending' AND older.vnf_instance_id = notify_outbox.vnf_instance_id
    AND older.id < notify_outbox.id)`;

/**
 * The outbox's rows in the driver's SQLite file, statements prepared once. better-sqlite3 is synchronous: each
 * method does its work when called and answers with an already settled Promise. All times are epoch milliseconds.
 */
export class SqliteNotifyOutboxStore implements NotifyOutboxStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    applyMigrations(db, 'outbox', OUTBOX_MIGRATIONS);
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO notify_outbox (vnfm_id, vnf_instance_id, job_id, status, operation, body, next_attempt_at, created_at,
           change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      find: db.prepare(`SELECT ${COLUMNS} FROM notify_outbox WHERE job_id = ? AND status = ?`),
      findChange: db.prepare(`SELECT ${COLUMNS} FROM notify_outbox WHERE change_id = ?`),
      dueHeads: db.prepare(
        `SELECT ${COLUMNS} FROM notify_outbox INDEXED BY notify_outbox_due
         WHERE next_attempt_at <= ? AND ${HEAD} ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      nextHeads: db.prepare(
        `SELECT vnf_instance_id AS v, next_attempt_at AS t FROM notify_outbox INDEXED BY notify_outbox_due
         WHERE ${HEAD} ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      markDelivered: db.prepare(
        `UPDATE notify_outbox SET state = 'delivered', attempts = attempts + 1, last_error = NULL, settled_at = ? WHERE id = ?`,
      ),
      markRetry: db.prepare(`UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`),
      markFailed: db.prepare(
        `UPDATE notify_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, settled_at = ? WHERE id = ?`,
      ),
      counts: db.prepare(`SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM notify_outbox GROUP BY state`),
      purgeSettled: db.prepare(`DELETE FROM notify_outbox WHERE state != 'pending' AND settled_at < ?`),
    };
  }

  insert(row: NewOutboxRow, now: number): Promise<{ inserted: boolean; row: OutboxRow }> {
    return settled(() =>
      this.db.transaction(() => {
        // The outbox lives in the jobs' database: the fence is checked in the transaction that inserts.
        if (row.fence) {
          // Prepared here, not with the others: an outbox without jobs (tests, tools) never names a fence.
          const owner = this.db.prepare('SELECT owner, epoch FROM jobs WHERE job_id = ?').get(row.jobId) as
            { owner: string | null; epoch: number } | undefined;
          if (owner) checkFence(row.jobId, owner, row.fence);
        }
        return this.insertNow(row, now);
      })(),
    );
  }

  private insertNow(row: NewOutboxRow, now: number): { inserted: boolean; row: OutboxRow } {
    const changeId = row.changeId ?? null;
    const res = this.stmts.insert.run(row.vnfmId, row.vnfInstanceId, row.jobId, row.status, row.operation, row.body, now, now, changeId);
    if (res.changes !== 1) {
      const held = this.findNow(row.jobId, row.status) ?? (this.stmts.findChange.get(changeId) as OutboxRow);
      return { inserted: false, row: held };
    }
    const stored: OutboxRow = {
      id: Number(res.lastInsertRowid),
      vnfmId: row.vnfmId,
      vnfInstanceId: row.vnfInstanceId,
      jobId: row.jobId,
      status: row.status,
      operation: row.operation,
      body: row.body,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdAt: now,
      settledAt: null,
      changeId,
    };
    return { inserted: true, row: stored };
  }

  find(jobId: string, status: string): Promise<OutboxRow | undefined> {
    return settled(() => this.findNow(jobId, status));
  }

  private findNow(jobId: string, status: string): OutboxRow | undefined {
    return this.stmts.find.get(jobId, status) as OutboxRow | undefined;
  }

  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<OutboxRow[]> {
    return settled(() => {
      if (limit <= 0) return [];
      // At most busy.size of the earliest heads belong to busy VNFs.
      const rows = this.stmts.dueHeads.all(now, limit + busy.size) as OutboxRow[];
      return rows.filter((r) => !busy.has(r.vnfInstanceId)).slice(0, limit);
    });
  }

  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    return settled(() => {
      const rows = this.stmts.nextHeads.all(busy.size + 1) as { v: string; t: number }[];
      return rows.find((r) => !busy.has(r.v))?.t;
    });
  }

  markDelivered(id: number, now: number): Promise<void> {
    return settled(() => void this.stmts.markDelivered.run(now, id));
  }

  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return settled(() => void this.stmts.markRetry.run(error, nextAttemptAt, id));
  }

  markFailed(id: number, error: string, now: number): Promise<void> {
    return settled(() => void this.stmts.markFailed.run(error, now, id));
  }

  counts(): Promise<OutboxCounts> {
    return settled(() => {
      const rows = this.stmts.counts.all() as { state: OutboxState; n: number; oldest: number }[];
      const out: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
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
