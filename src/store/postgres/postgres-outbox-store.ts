import { checkFence } from '../../jobs/job-store';
import type { NotifyOutboxStore, OutboxCounts } from '../../nslcm/notify-outbox';
import type { NewOutboxRow, OutboxRow } from '../../nslcm/notify-outbox-store';
import type { PostgresDatabase } from './postgres-database';
import { applyPostgresMigrations } from './postgres-migrations';
import { PostgresOutboxHeads } from './postgres-outbox-heads';
import { PostgresOutboxRowStates } from './postgres-outbox-row-states';
import { POSTGRES_OUTBOX_MIGRATIONS } from './postgres-schema';

/** Options of {@link PostgresNotifyOutboxStore.open}. */
export interface PostgresOutboxOptions {
  /** The replica that sends what {@link PostgresNotifyOutboxStore.dueHeads} hands it. */
  replicaId: string;
  /**
   * How long a row handed to a replica is kept from the others (default 120 000 ms, database clock): longer than one
   * send can take. A replica that dies while sending leaves the row to another one after that long.
   */
  claimMs?: number;
}

const COLUMNS = `id, vnfm_id AS "vnfmId", vnf_instance_id AS "vnfInstanceId", job_id AS "jobId", status, operation, body, state,
  attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt", settled_at AS "settledAt",
  change_id AS "changeId"`;

/**
 * The Notify outbox on PostgreSQL, shared by the replicas. Each VNF's messages still go one at a time and in order
 * across replicas: {@link dueHeads} claims the heads it hands out (owner and a claim expiry on the database's clock,
 * rows locked by another replica's claim skipped), and a row's outcome clears its claim.
 */
export class PostgresNotifyOutboxStore implements NotifyOutboxStore {
  private readonly states: PostgresOutboxRowStates;
  private readonly heads: PostgresOutboxHeads<OutboxRow>;

  private constructor(
    private readonly db: PostgresDatabase,
    options: PostgresOutboxOptions,
  ) {
    this.states = new PostgresOutboxRowStates(db, 'notify_outbox', 'outbox');
    this.heads = new PostgresOutboxHeads(db, options, {
      table: 'notify_outbox',
      key: 'vnf_instance_id',
      order: 'id',
      columns: COLUMNS,
      component: 'outbox',
    });
  }

  /** Brings the outbox's tables up to date in `db` and answers the store. */
  static async open(db: PostgresDatabase, options: PostgresOutboxOptions): Promise<PostgresNotifyOutboxStore> {
    await applyPostgresMigrations(db, 'outbox', POSTGRES_OUTBOX_MIGRATIONS);
    return new PostgresNotifyOutboxStore(db, options);
  }

  async insert(row: NewOutboxRow, now: number): Promise<{ inserted: boolean; row: OutboxRow }> {
    const rows = await this.db.transaction('outbox.insert', async (tx) => {
      if (row.fence) {
        // FOR SHARE: no claim of the job can come between the check and the insert.
        const owner = await tx.query<{ owner: string | null; epoch: number }>('SELECT owner, epoch FROM jobs WHERE job_id = $1 FOR SHARE', [
          row.jobId,
        ]);
        if (owner.rows[0]) checkFence(row.jobId, owner.rows[0], row.fence);
      }
      // No conflict target: neither a second (jobId, status) nor a second changeId is stored.
      const inserted = await tx.query<OutboxRow>(
        `INSERT INTO notify_outbox (vnfm_id, vnf_instance_id, job_id, status, operation, body, next_attempt_at, created_at, change_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [row.vnfmId, row.vnfInstanceId, row.jobId, row.status, row.operation, row.body, now, row.changeId ?? null],
      );
      return inserted.rows;
    });
    if (rows[0]) return { inserted: true, row: rows[0] };
    const held = await this.db.query<OutboxRow>(
      'outbox.insert',
      `SELECT ${COLUMNS} FROM notify_outbox WHERE (job_id = $1 AND status = $2) OR change_id = $3 ORDER BY id LIMIT 1`,
      [row.jobId, row.status, row.changeId ?? null],
      true,
    );
    return { inserted: false, row: held[0] };
  }

  async find(jobId: string, status: string): Promise<OutboxRow | undefined> {
    const rows = await this.db.query<OutboxRow>(
      'outbox.find',
      `SELECT ${COLUMNS} FROM notify_outbox WHERE job_id = $1 AND status = $2`,
      [jobId, status],
      true,
    );
    return rows[0];
  }

  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<OutboxRow[]> {
    return this.heads.dueHeads(now, busy, limit);
  }

  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    return this.heads.nextDueAt(busy);
  }

  markDelivered(id: number, now: number): Promise<void> {
    return this.states.markDelivered([id], now);
  }

  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return this.states.markRetry(id, error, nextAttemptAt);
  }

  markFailed(id: number, error: string, now: number): Promise<void> {
    return this.states.markFailed(id, error, now);
  }

  counts(): Promise<OutboxCounts> {
    return this.states.counts();
  }

  purgeSettled(before: number): Promise<number> {
    return this.states.purgeSettled(before);
  }
}
