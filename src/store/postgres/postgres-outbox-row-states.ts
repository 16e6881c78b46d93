import { countsByState, type OutboxRowCounts, type OutboxRowState } from '../outbox-row-states';
import type { PostgresDatabase } from './postgres-database';

/**
 * The outcomes an outbox records on its rows in PostgreSQL, the same for both outboxes' tables. Recording an
 * outcome frees the row's claim; a row another replica settled meanwhile is left as it is.
 */
export class PostgresOutboxRowStates {
  /** `table` is one of the outboxes' own table names, never input; `component` names the operations in errors. */
  constructor(
    private readonly db: PostgresDatabase,
    private readonly table: string,
    private readonly component: string,
  ) {}

  async markDelivered(ids: readonly number[], now: number): Promise<void> {
    await this.settle('markDelivered', "state = 'delivered', attempts = attempts + 1, last_error = NULL, settled_at = $2", [[...ids], now]);
  }

  async markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    await this.settle('markRetry', 'attempts = attempts + 1, last_error = $2, next_attempt_at = $3', [[id], error, nextAttemptAt]);
  }

  async markFailed(id: number, error: string, now: number): Promise<void> {
    await this.settle('markFailed', "state = 'failed', attempts = attempts + 1, last_error = $2, settled_at = $3", [[id], error, now]);
  }

  async counts(): Promise<OutboxRowCounts> {
    const rows = await this.db.query<{ state: OutboxRowState; n: number; oldest: number }>(
      `${this.component}.counts`,
      `SELECT state, COUNT(*)::int AS n, MIN(created_at) AS oldest FROM ${this.table} GROUP BY state`,
      [],
      true,
    );
    return countsByState(rows);
  }

  /** Deletes delivered and failed rows settled before `before`; answers how many. */
  async purgeSettled(before: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `${this.component}.purgeSettled`,
      `WITH gone AS (DELETE FROM ${this.table} WHERE state <> 'pending' AND settled_at < $1 RETURNING 1) SELECT COUNT(*)::int AS n FROM gone`,
      [before],
    );
    return rows[0]?.n ?? 0;
  }

  private async settle(operation: string, set: string, params: [number[], ...unknown[]]): Promise<void> {
    await this.db.query(
      `${this.component}.${operation}`,
      `UPDATE ${this.table} SET ${set}, claimed_by = NULL, claim_expires_at = NULL WHERE id = ANY($1::bigint[]) AND state = 'pending'`,
      params,
    );
  }
}
