import type { PostgresDatabase } from './postgres-database';
import type { PostgresOutboxOptions } from './postgres-outbox-store';

/** Which outbox table {@link PostgresOutboxHeads} claims from; all its names are the outboxes' own, never input. */
export interface PostgresOutboxHeadsTable {
  table: string;
  /** The column whose rows go one at a time and in order (the VNF, the VES source). */
  key: string;
  /** The column that orders a key's rows. */
  order: string;
  /** The select list naming the row's fields. */
  columns: string;
  /** Names the operations in errors. */
  component: string;
}

/**
 * The heads of an outbox on PostgreSQL, shared by the replicas: a pending row with no older pending row of its key,
 * not held by another replica. {@link dueHeads} claims the heads it hands out (owner and a claim expiry on the
 * database's clock, rows locked by another replica's claim skipped); a row's outcome clears its claim.
 */
export class PostgresOutboxHeads<Row extends { id: number; nextAttemptAt: number }> {
  private readonly head: string;
  private readonly replicaId: string;
  private readonly claimMs: number;

  constructor(
    private readonly db: PostgresDatabase,
    options: PostgresOutboxOptions,
    private readonly t: PostgresOutboxHeadsTable,
  ) {
    this.replicaId = options.replicaId;
    this.claimMs = options.claimMs ?? 120_000;
    this.head = `n.state = 'pending' AND NOT EXISTS (
    SELECT 1 FROM ${t.table} older WHERE older.state = 'pending' AND older.${t.key} = n.${t.key} AND older.${t.order} < n.${t.order})
  AND (n.claimed_by IS NULL OR n.claimed_by = $1 OR n.claim_expires_at < now())`;
  }

  /** Claims up to `limit` heads due at `now`, none of a key in `busy`; answers them earliest first. */
  async dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<Row[]> {
    if (limit <= 0) return [];
    const { table, key, columns, component } = this.t;
    const rows = await this.db.query<Row>(
      `${component}.dueHeads`,
      `UPDATE ${table} o SET claimed_by = $1, claim_expires_at = now() + ($2::double precision * interval '1 millisecond')
       FROM (SELECT n.id AS head_id FROM ${table} n WHERE n.next_attempt_at <= $3 AND ${this.head} AND NOT (n.${key} = ANY($4::text[]))
             ORDER BY n.next_attempt_at, n.id LIMIT $5 FOR UPDATE OF n SKIP LOCKED) head
       WHERE o.id = head.head_id RETURNING ${columns}`,
      [this.replicaId, this.claimMs, now, [...busy], limit],
    );
    return rows.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
  }

  /** When the earliest head this replica may claim, of a key not in `busy`, falls due. */
  async nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined> {
    const { table, key, component } = this.t;
    const rows = await this.db.query<{ t: number | null }>(
      `${component}.nextDueAt`,
      `SELECT MIN(n.next_attempt_at) AS t FROM ${table} n WHERE ${this.head} AND NOT (n.${key} = ANY($2::text[]))`,
      [this.replicaId, [...busy]],
      true,
    );
    return rows[0]?.t ?? undefined;
  }
}
