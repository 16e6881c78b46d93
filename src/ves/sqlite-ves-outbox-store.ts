import { applyMigrations, type Db } from '../store/database';
import { groupCommitOf, type GroupCommit } from '../store/group-commit';
import { SqliteOutboxRowStates } from '../store/outbox-row-states';
import { SqliteOutboxHeads } from '../store/sqlite-outbox-heads';
import { settled } from '../store/settled';
import type { AlarmChange, NewVesOutboxRow, VesOutboxCounts, VesOutboxRow, VesOutboxStore } from './ves-outbox-store';

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
  // The alarms raised and not yet cleared: a raise is stored once per severity, a clear only for an active alarm.
  `CREATE TABLE ves_alarms (
     source_name TEXT NOT NULL,
     alarm_condition TEXT NOT NULL,
     severity TEXT NOT NULL,
     changed_at INTEGER NOT NULL,
     PRIMARY KEY (source_name, alarm_condition))`,
];

const COLUMNS = `id, source_name AS sourceName, event_id AS eventId, sequence, body, state, attempts,
  next_attempt_at AS nextAttemptAt, last_error AS lastError, created_at AS createdAt, settled_at AS settledAt`;

/**
 * The VES outbox's rows in the driver's SQLite file, statements prepared once. better-sqlite3 is synchronous: each
 * method does its work when called and answers with an already settled Promise.
 */
export class SqliteVesOutboxStore implements VesOutboxStore {
  private readonly stmts;
  private readonly states: SqliteOutboxRowStates;
  private readonly heads: SqliteOutboxHeads<VesOutboxRow>;
  private readonly insertTx: (row: NewVesOutboxRow, now: number) => VesOutboxRow;
  private readonly group: GroupCommit;

  constructor(db: Db) {
    applyMigrations(db, 'ves', VES_OUTBOX_MIGRATIONS);
    this.stmts = {
      nextSequence: db.prepare(
        `INSERT INTO ves_sequences (source_name, last_sequence) VALUES (?, 1)
         ON CONFLICT (source_name) DO UPDATE SET last_sequence = last_sequence + 1 RETURNING last_sequence AS s`,
      ),
      insert: db.prepare(
        `INSERT INTO ves_outbox (source_name, event_id, sequence, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      raise: db.prepare(
        `INSERT INTO ves_alarms (source_name, alarm_condition, severity, changed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source_name, alarm_condition) DO UPDATE SET severity = excluded.severity, changed_at = excluded.changed_at
         WHERE severity <> excluded.severity`,
      ),
      clear: db.prepare(`DELETE FROM ves_alarms WHERE source_name = ? AND alarm_condition = ?`),
      active: db.prepare(`SELECT alarm_condition AS c FROM ves_alarms WHERE source_name = ? ORDER BY alarm_condition`),
    };
    this.states = new SqliteOutboxRowStates(db, 'ves_outbox');
    this.heads = new SqliteOutboxHeads<VesOutboxRow>(
      db,
      { table: 'ves_outbox', key: 'source_name', columns: COLUMNS, dueIndex: 'ves_outbox_due' },
      (r) => r.sourceName,
    );
    this.insertTx = (row: NewVesOutboxRow, now: number): VesOutboxRow => {
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
    };
    this.group = groupCommitOf(db);
  }

  insert(row: NewVesOutboxRow, now: number): Promise<VesOutboxRow> {
    return this.group.write(() => this.insertTx(row, now));
  }

  insertAlarmChange(row: NewVesOutboxRow, alarm: AlarmChange, now: number): Promise<VesOutboxRow | undefined> {
    return this.group.write(() => {
      const changed =
        alarm.severity === 'NORMAL'
          ? this.stmts.clear.run(row.sourceName, alarm.alarmCondition).changes
          : this.stmts.raise.run(row.sourceName, alarm.alarmCondition, alarm.severity, now).changes;
      return changed ? this.insertTx(row, now) : undefined;
    });
  }

  activeAlarms(sourceName: string): Promise<string[]> {
    return settled(() => (this.stmts.active.all(sourceName) as Array<{ c: string }>).map((r) => r.c));
  }

  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<VesOutboxRow[]> {
    return settled(() => this.heads.dueHeads(now, busy, limit));
  }

  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    return settled(() => this.heads.nextDueAt(busy));
  }

  markDelivered(ids: readonly number[], now: number): Promise<void> {
    return this.group.write(() => ids.forEach((id) => this.states.markDelivered(id, now)));
  }

  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return this.group.writeOne(() => this.states.markRetry(id, error, nextAttemptAt));
  }

  markFailed(id: number, error: string, now: number): Promise<void> {
    return this.group.writeOne(() => this.states.markFailed(id, error, now));
  }

  counts(): Promise<VesOutboxCounts> {
    return settled(() => this.states.counts());
  }

  purgeSettled(before: number): Promise<number> {
    return this.group.writeOne(() => this.states.purgeSettled(before));
  }
}
