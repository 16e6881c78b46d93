import { checkFence, type JobFence } from '../jobs/job-store';
import { applyMigrations, type Db } from '../store/database';
import { SqliteOutboxRowStates, type OutboxRowState } from '../store/outbox-row-states';
import { groupCommitOf, type GroupCommit } from '../store/group-commit';
import { SqliteOutboxHeads } from '../store/sqlite-outbox-heads';
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
export type OutboxState = OutboxRowState;

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

/**
 * The outbox's rows in the driver's SQLite file, statements prepared once. better-sqlite3 is synchronous: each
 * method does its work when called; a read answers with an already settled Promise, a write resolves once the
 * group commit it joined (src/store/group-commit.ts, shared with the job store) is committed. All times are epoch
 * milliseconds.
 */
export class SqliteNotifyOutboxStore implements NotifyOutboxStore {
  private readonly stmts;
  private readonly states: SqliteOutboxRowStates;
  private readonly heads: SqliteOutboxHeads<OutboxRow>;
  private readonly group: GroupCommit;
  /** Owner and epoch of a job; prepared at the first fenced insert (an outbox without jobs, in tools and tests, names none). */
  private fenceOfJob?: ReturnType<Db['prepare']>;

  constructor(private readonly db: Db) {
    applyMigrations(db, 'outbox', OUTBOX_MIGRATIONS);
    this.group = groupCommitOf(db);
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO notify_outbox (vnfm_id, vnf_instance_id, job_id, status, operation, body, next_attempt_at, created_at,
           change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      find: db.prepare(`SELECT ${COLUMNS} FROM notify_outbox WHERE job_id = ? AND status = ?`),
      findChange: db.prepare(`SELECT ${COLUMNS} FROM notify_outbox WHERE change_id = ?`),
    };
    this.states = new SqliteOutboxRowStates(db, 'notify_outbox');
    this.heads = new SqliteOutboxHeads<OutboxRow>(
      db,
      { table: 'notify_outbox', key: 'vnf_instance_id', columns: COLUMNS, dueIndex: 'notify_outbox_due' },
      (r) => r.vnfInstanceId,
    );
  }

  insert(row: NewOutboxRow, now: number): Promise<{ inserted: boolean; row: OutboxRow }> {
    return this.group.write(() => {
      // The outbox lives in the jobs' database: the fence is checked in the transaction that inserts.
      if (row.fence) {
        this.fenceOfJob ??= this.db.prepare('SELECT owner, epoch FROM jobs WHERE job_id = ?');
        const owner = this.fenceOfJob.get(row.jobId) as { owner: string | null; epoch: number } | undefined;
        if (owner) checkFence(row.jobId, owner, row.fence);
      }
      return this.insertNow(row, now);
    });
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
    return settled(() => this.heads.dueHeads(now, busy, limit));
  }

  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    return settled(() => this.heads.nextDueAt(busy));
  }

  markDelivered(id: number, now: number): Promise<void> {
    return this.group.writeOne(() => this.states.markDelivered(id, now));
  }

  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return this.group.writeOne(() => this.states.markRetry(id, error, nextAttemptAt));
  }

  markFailed(id: number, error: string, now: number): Promise<void> {
    return this.group.writeOne(() => this.states.markFailed(id, error, now));
  }

  counts(): Promise<OutboxCounts> {
    return settled(() => this.states.counts());
  }

  purgeSettled(before: number): Promise<number> {
    return this.group.writeOne(() => this.states.purgeSettled(before));
  }
}
