import { checkFence } from '../../jobs/job-store';
import type { NotifyOutboxStore, OutboxCounts } from '../../nslcm/notify-outbox';
import type { NewOutboxRow, OutboxRow, OutboxState } from '../../nslcm/notify-outbox-store';
import type { PostgresDatabase } from './postgres-database';
import { applyPostgresMigrations } from './postgres-migrations';
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

/** A pending row with no older pending row of its VNF (the only one of that VNF that may be sent), not held by another replica. */
const HEAD = `n.state = 'pending' AND NOT EXISTS (
    SELECT 1 FROM notify_outbox older WHERE older.state = 'pending' AND older.vnf_instance_id = n.vnf_instance_id AND older.id < n.id)
  AND (n.claimed_by IS NULL OR n.claimed_by = $1 OR n.claim_expires_at < now())`;

/**
 * The Notify outbox on PostgreSQL, shared by the replicas. Each VNF's messages still go one at a time and in order
 * across replicas: {@link dueHeads} claims the heads it hands out (owner and a claim expiry on the database's clock,
 * rows locked by another replica's claim skipped), and a row's outcome clears its claim.
 */
export class PostgresNotifyOutboxStore implements NotifyOutboxStore {
  private readonly claimMs: number;

  private constructor(
    private readonly db: PostgresDatabase,
    private readonly replicaId: string,
    claimMs: number | undefined,
  ) {
    this.claimMs = claimMs ?? 120_000;
  }

  /** Brings the outbox's tables up to date in `db` and answers the store. */
  static async open(db: PostgresDatabase, options: PostgresOutboxOptions): Promise<PostgresNotifyOutboxStore> {
    await applyPostgresMigrations(db, 'outbox', POSTGRES_OUTBOX_MIGRATIONS);
    return new PostgresNotifyOutboxStore(db, options.replicaId, options.claimMs);
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

  async dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<OutboxRow[]> {
    if (limit <= 0) return [];
    const rows = await this.db.query<OutboxRow>(
      'outbox.dueHeads',
      `UPDATE notify_outbox o SET claimed_by = $1, claim_expires_at = now() + ($2::double precision * interval '1 millisecond')
       FROM (SELECT n.id AS head_id FROM notify_outbox n WHERE n.next_attempt_at <= $3 AND ${HEAD} AND NOT (n.vnf_instance_id = ANY($4::text[]))
             ORDER BY n.next_attempt_at, n.id LIMIT $5 FOR UPDATE OF n SKIP LOCKED) head
       WHERE o.id = head.head_id RETURNING ${COLUMNS}`,
      [this.replicaId, this.claimMs, now, [...busy], limit],
    );
    return rows.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
  }

  async nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    const rows = await this.db.query<{ t: number | null }>(
      'outbox.nextDueAt',
      `SELECT MIN(n.next_attempt_at) AS t FROM notify_outbox n WHERE ${HEAD} AND NOT (n.vnf_instance_id = ANY($2::text[]))`,
      [this.replicaId, [...busy]],
      true,
    );
    return rows[0]?.t ?? undefined;
  }

  async markDelivered(id: number, now: number): Promise<void> {
    await this.settle('outbox.markDelivered', "state = 'delivered', attempts = attempts + 1, last_error = NULL, settled_at = $2", [
      id,
      now,
    ]);
  }

  async markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    await this.settle('outbox.markRetry', 'attempts = attempts + 1, last_error = $2, next_attempt_at = $3', [id, error, nextAttemptAt]);
  }

  async markFailed(id: number, error: string, now: number): Promise<void> {
    await this.settle('outbox.markFailed', "state = 'failed', attempts = attempts + 1, last_error = $2, settled_at = $3", [id, error, now]);
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await this.db.query<{ state: OutboxState; n: number; oldest: number }>(
      'outbox.counts',
      'SELECT state, COUNT(*)::int AS n, MIN(created_at) AS oldest FROM notify_outbox GROUP BY state',
      [],
      true,
    );
    const out: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
    for (const r of rows) {
      out[r.state] = r.n;
      if (r.state === 'pending') out.oldestPendingAt = r.oldest;
    }
    return out;
  }

  async purgeSettled(before: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'outbox.purgeSettled',
      "WITH gone AS (DELETE FROM notify_outbox WHERE state <> 'pending' AND settled_at < $1 RETURNING 1) SELECT COUNT(*)::int AS n FROM gone",
      [before],
    );
    return rows[0]?.n ?? 0;
  }

  /** Records an outcome of a pending row and frees its claim; a row another replica settled meanwhile is left as it is. */
  private async settle(operation: string, set: string, params: unknown[]): Promise<void> {
    await this.db.query(
      operation,
      `UPDATE notify_outbox SET ${set}, claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND state = 'pending'`,
      params,
    );
  }
}
