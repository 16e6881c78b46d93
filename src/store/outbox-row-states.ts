import type { Db } from './database';

/** Delivery state of an outbox row, Notify or VES alike. */
export type OutboxRowState = 'pending' | 'delivered' | 'failed';

/** Row counts per state and the creation time of the oldest pending row. */
export interface OutboxRowCounts {
  pending: number;
  delivered: number;
  failed: number;
  oldestPendingAt?: number;
}

/** What `SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest ... GROUP BY state` answers, as counts. */
export function countsByState(rows: ReadonlyArray<{ state: OutboxRowState; n: number; oldest: number }>): OutboxRowCounts {
  const out: OutboxRowCounts = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rows) {
    out[r.state] = r.n;
    if (r.state === 'pending') out.oldestPendingAt = r.oldest;
  }
  return out;
}

/**
 * The outcomes an outbox records on a row, the same for both outboxes' tables (state, attempts, last_error,
 * next_attempt_at, created_at, settled_at), in SQLite: statements prepared once, run synchronously.
 */
export class SqliteOutboxRowStates {
  private readonly stmts;

  /** `table` is one of the outboxes' own table names, never input. */
  constructor(db: Db, table: string) {
    this.stmts = {
      markDelivered: db.prepare(
        `UPDATE ${table} SET state = 'delivered', attempts = attempts + 1, last_error = NULL, settled_at = ? WHERE id = ?`,
      ),
      markRetry: db.prepare(`UPDATE ${table} SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`),
      markFailed: db.prepare(`UPDATE ${table} SET state = 'failed', attempts = attempts + 1, last_error = ?, settled_at = ? WHERE id = ?`),
      counts: db.prepare(`SELECT state, COUNT(*) AS n, MIN(created_at) AS oldest FROM ${table} GROUP BY state`),
      purgeSettled: db.prepare(`DELETE FROM ${table} WHERE state != 'pending' AND settled_at < ?`),
    };
  }

  markDelivered(id: number, now: number): void {
    this.stmts.markDelivered.run(now, id);
  }

  markRetry(id: number, error: string, nextAttemptAt: number): void {
    this.stmts.markRetry.run(error, nextAttemptAt, id);
  }

  markFailed(id: number, error: string, now: number): void {
    this.stmts.markFailed.run(error, now, id);
  }

  counts(): OutboxRowCounts {
    return countsByState(this.stmts.counts.all() as Array<{ state: OutboxRowState; n: number; oldest: number }>);
  }

  /** Deletes delivered and failed rows settled before `before`; answers how many. */
  purgeSettled(before: number): number {
    return this.stmts.purgeSettled.run(before).changes;
  }
}
