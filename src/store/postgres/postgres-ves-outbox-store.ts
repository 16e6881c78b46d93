import type { AlarmChange, NewVesOutboxRow, VesOutboxCounts, VesOutboxRow, VesOutboxStore } from '../../ves/ves-outbox-store';
import type { PostgresDatabase } from './postgres-database';
import { applyPostgresMigrations } from './postgres-migrations';
import { PostgresOutboxHeads } from './postgres-outbox-heads';
import { PostgresOutboxRowStates } from './postgres-outbox-row-states';
import type { PostgresOutboxOptions } from './postgres-outbox-store';
import { POSTGRES_VES_OUTBOX_MIGRATIONS } from './postgres-schema';

const COLUMNS = `id, source_name AS "sourceName", event_id AS "eventId", sequence, body, state, attempts,
  next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt", settled_at AS "settledAt"`;

/**
 * The VES outbox on PostgreSQL, shared by the replicas. A source's sequence is taken from its counter row and the
 * event stored in one statement: a second replica storing for the same source waits for the counter row, so the
 * sequences of a source have no gap nor duplicate and become visible in order. {@link dueHeads} claims the heads it
 * hands out (owner and expiry on the database's clock; rows locked by another replica's claim skipped) and an
 * outcome clears the claim, so one replica at a time sends a source's head and each source's events go in order.
 */
export class PostgresVesOutboxStore implements VesOutboxStore {
  private readonly states: PostgresOutboxRowStates;
  private readonly heads: PostgresOutboxHeads<VesOutboxRow>;

  private constructor(
    private readonly db: PostgresDatabase,
    options: PostgresOutboxOptions,
  ) {
    this.states = new PostgresOutboxRowStates(db, 'ves_outbox', 'ves');
    this.heads = new PostgresOutboxHeads(db, options, {
      table: 'ves_outbox',
      key: 'source_name',
      order: 'sequence',
      columns: COLUMNS,
      component: 'ves',
    });
  }

  /** Brings the VES outbox's tables up to date in `db` and answers the store. */
  static async open(db: PostgresDatabase, options: PostgresOutboxOptions): Promise<PostgresVesOutboxStore> {
    await applyPostgresMigrations(db, 'ves', POSTGRES_VES_OUTBOX_MIGRATIONS);
    return new PostgresVesOutboxStore(db, options);
  }

  async insert(row: NewVesOutboxRow, now: number): Promise<VesOutboxRow> {
    const rows = await this.db.query<VesOutboxRow>(
      'ves.insert',
      `WITH s AS (
         INSERT INTO ves_sequences AS q (source_name, last_sequence) VALUES ($1, 1)
         ON CONFLICT (source_name) DO UPDATE SET last_sequence = q.last_sequence + 1 RETURNING last_sequence)
       INSERT INTO ves_outbox (source_name, event_id, sequence, body, next_attempt_at, created_at)
       SELECT $1, $2, s.last_sequence, $3, $4, $4 FROM s RETURNING ${COLUMNS}`,
      [row.sourceName, row.eventId, row.body, now],
    );
    return rows[0];
  }

  /**
   * One statement, hence one transaction: the alarm change (an upsert that changes nothing at the same severity, or
   * a delete), the source's next sequence and the event, the last two only when the first changed a row. Two
   * replicas storing the same change at once: the second waits for the first's alarm row, then finds it already
   * at that severity (or gone) and stores nothing.
   */
  async insertAlarmChange(row: NewVesOutboxRow, alarm: AlarmChange, now: number): Promise<VesOutboxRow | undefined> {
    const change =
      alarm.severity === 'NORMAL'
        ? `DELETE FROM ves_alarms WHERE source_name = $1 AND alarm_condition = $5 RETURNING 1`
        : `INSERT INTO ves_alarms AS a (source_name, alarm_condition, severity, changed_at) VALUES ($1, $5, $6, $4)
           ON CONFLICT (source_name, alarm_condition) DO UPDATE SET severity = EXCLUDED.severity, changed_at = EXCLUDED.changed_at
           WHERE a.severity <> EXCLUDED.severity RETURNING 1`;
    const rows = await this.db.query<VesOutboxRow>(
      alarm.severity === 'NORMAL' ? 'ves.clearAlarm' : 'ves.raiseAlarm',
      `WITH c AS (${change}),
       s AS (
         INSERT INTO ves_sequences AS q (source_name, last_sequence) SELECT $1, 1 FROM c
         ON CONFLICT (source_name) DO UPDATE SET last_sequence = q.last_sequence + 1 RETURNING last_sequence)
       INSERT INTO ves_outbox (source_name, event_id, sequence, body, next_attempt_at, created_at)
       SELECT $1, $2, s.last_sequence, $3, $4, $4 FROM s RETURNING ${COLUMNS}`,
      alarm.severity === 'NORMAL'
        ? [row.sourceName, row.eventId, row.body, now, alarm.alarmCondition]
        : [row.sourceName, row.eventId, row.body, now, alarm.alarmCondition, alarm.severity],
    );
    return rows[0];
  }

  async activeAlarms(sourceName: string): Promise<string[]> {
    const rows = await this.db.query<{ c: string }>(
      'ves.activeAlarms',
      `SELECT alarm_condition AS c FROM ves_alarms WHERE source_name = $1 ORDER BY alarm_condition`,
      [sourceName],
      true,
    );
    return rows.map((r) => r.c);
  }

  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<VesOutboxRow[]> {
    return this.heads.dueHeads(now, busy, limit);
  }

  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    return this.heads.nextDueAt(busy);
  }

  markDelivered(ids: readonly number[], now: number): Promise<void> {
    return this.states.markDelivered(ids, now);
  }

  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return this.states.markRetry(id, error, nextAttemptAt);
  }

  markFailed(id: number, error: string, now: number): Promise<void> {
    return this.states.markFailed(id, error, now);
  }

  counts(): Promise<VesOutboxCounts> {
    return this.states.counts();
  }

  purgeSettled(before: number): Promise<number> {
    return this.states.purgeSettled(before);
  }
}
