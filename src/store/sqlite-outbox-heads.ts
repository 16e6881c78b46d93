import type { Db } from './database';

/** Which outbox table {@link SqliteOutboxHeads} reads; all its names are the outboxes' own, never input. */
export interface SqliteOutboxHeadsTable {
  table: string;
  /** The column whose rows go one at a time and in order (the VNF, the VES source). */
  key: string;
  /** The select list naming the row's fields. */
  columns: string;
  /** The partial index of pending rows by (next_attempt_at, id). */
  dueIndex: string;
}

/**
 * The heads of an outbox in SQLite: a pending row with no older pending row of its key, the only one of that key
 * that may be sent. Statements prepared once, run synchronously.
 */
export class SqliteOutboxHeads<Row> {
  private readonly stmts;

  constructor(
    db: Db,
    { table, key, columns, dueIndex }: SqliteOutboxHeadsTable,
    private readonly keyOf: (row: Row) => string,
  ) {
    const head = `state = 'pending' AND NOT EXISTS (
      SELECT 1 FROM ${table} older WHERE older.state = 'pending' AND older.${key} = ${table}.${key} AND older.id < ${table}.id)`;
    this.stmts = {
      dueHeads: db.prepare(
        `SELECT ${columns} FROM ${table} INDEXED BY ${dueIndex}
         WHERE next_attempt_at <= ? AND ${head} ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      nextHeads: db.prepare(
        `SELECT ${key} AS k, next_attempt_at AS t FROM ${table} INDEXED BY ${dueIndex} WHERE ${head} ORDER BY next_attempt_at, id LIMIT ?`,
      ),
    };
  }

  /** Up to `limit` heads due at `now`, earliest first, none of a key in `busy`. */
  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Row[] {
    if (limit <= 0) return [];
    // At most busy.size of the earliest heads belong to busy keys.
    const rows = this.stmts.dueHeads.all(now, limit + busy.size) as Row[];
    return rows.filter((r) => !busy.has(this.keyOf(r))).slice(0, limit);
  }

  /** When the earliest head of a key not in `busy` falls due. */
  nextDueAt(busy: ReadonlySet<string>): number | undefined {
    const rows = this.stmts.nextHeads.all(busy.size + 1) as { k: string; t: number }[];
    return rows.find((r) => !busy.has(r.k))?.t;
  }
}
