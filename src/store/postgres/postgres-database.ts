import pg from 'pg';
import { jitteredBackoffMs } from '../../async/backoff';
import type { Log } from '../../logging/log';
import { silentLog } from '../../logging/log';
import { isTransient, PostgresStoreError, StoreUrlError } from './postgres-errors';

/** Connection settings of a {@link PostgresDatabase}. Durations in ms. */
export interface PostgresOptions {
  /** Most connections open at once (default 10). */
  poolSize?: number;
  /** How long opening a connection may take (default 5 000). */
  connectTimeoutMs?: number;
  /** Server-side limit of one statement (default 10 000); also the client's wait for an answer, plus a second. */
  statementTimeoutMs?: number;
  /** Tries of a piece of work that failed on a transient error (connection lost, server restarting, deadlock); default 4. */
  attempts?: number;
  log?: Log;
}

const INT8_OID = 20;

/** The `pg` type parsers, except that BIGINT (int8) is read as a number. */
const bigintAsNumber = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? Number : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

/** One connection inside {@link PostgresDatabase.transaction}. */
export type Tx = Pick<pg.PoolClient, 'query'>;

/**
 * A pool of connections to one PostgreSQL database (the `pg` client). Work that fails on a transient error is
 * tried again with backoff: a transaction rolled back by a lost connection, a deadlock or a serialization failure
 * was not done, so it is run whole again; a single statement is tried again only when the connection failed before
 * it was sent, or when it only reads. Broken connections are dropped from the pool and replaced on demand.
 */
export class PostgresDatabase {
  private readonly pool: pg.Pool;
  private readonly attempts: number;
  private readonly log: Log;
  private closed?: Promise<void>;

  constructor(url: string, options: PostgresOptions = {}) {
    checkUrl(url);
    this.attempts = options.attempts ?? 4;
    this.log = (options.log ?? silentLog).child({ component: 'postgres-store' });
    const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 1_000,
      idle_in_transaction_session_timeout: statementTimeoutMs * 3,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'esc-vnfm-driver',
      // BIGINT columns hold epoch milliseconds and row ids, all below 2^53: read as numbers, not strings.
      types: { getTypeParser: bigintAsNumber },
    });
    // An idle connection the server closed: the pool drops it; without a listener the process would crash.
    this.pool.on('error', (err) => this.log.warn('idle store connection lost; it is replaced when needed', { error: err.message }));
  }

  /** One statement; `readOnly` statements are tried again on any transient error, others only when nothing was sent. */
  async query<R extends pg.QueryResultRow>(operation: string, sql: string, params: unknown[] = [], readOnly = false): Promise<R[]> {
    return this.retrying(operation, async () => {
      const client = await this.pool.connect();
      try {
        const res = await client.query<R>(sql, params);
        client.release();
        return res.rows;
      } catch (err) {
        client.release(isTransient(err));
        throw readOnly ? err : new SentError(err);
      }
    });
  }

  /** Runs `work` in one transaction (READ COMMITTED); committed before the Promise resolves, run whole again after a transient failure. */
  async transaction<T>(operation: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.retrying(operation, async () => {
      const client = await this.pool.connect();
      let result: T;
      let committing = false;
      try {
        await client.query('BEGIN');
        result = await work(client);
        committing = true;
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release(isTransient(err));
        // Before COMMIT the transaction was rolled back: safe to run again. A COMMIT that got no answer may have
        // been applied: not run again.
        throw committing ? new SentError(err) : err;
      }
      client.release();
      return result;
    });
  }

  /**
   * Takes the session advisory lock named `key` if no other session holds it, on a connection kept for the hold:
   * answers its release, or undefined when it is held elsewhere. A holder that dies loses its connection and so the lock.
   */
  async tryAdvisoryLock(key: string): Promise<{ release(): Promise<void>; readonly lost: boolean } | undefined> {
    const client = await this.retrying('tryAdvisoryLock', () => this.pool.connect());
    let held: boolean;
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('esc-vnfm-driver lock'), hashtext($1)) AS ok",
        [key],
      );
      held = rows[0]?.ok === true;
    } catch (err) {
      client.release(true);
      throw new PostgresStoreError('tryAdvisoryLock', err);
    }
    if (!held) {
      client.release();
      return undefined;
    }
    // The connection may die while it holds the lock (server restart, network): the lock is gone, nothing to crash on.
    let lost = false;
    client.on('error', (err) => {
      lost = true;
      this.log.warn('connection of a held store lock lost; the lock went with it', { key, error: err.message });
    });
    client.on('end', () => (lost = true));
    let released: Promise<void> | undefined;
    return {
      get lost() {
        return lost;
      },
      release: () =>
        (released ??= client.query("SELECT pg_advisory_unlock(hashtext('esc-vnfm-driver lock'), hashtext($1))", [key]).then(
          () => client.release(),
          // The connection is gone, and the lock with it.
          (err: Error) => client.release(err),
        )),
    };
  }

  /** Checks that a connection can be had and answers. */
  async ping(): Promise<void> {
    await this.query('ping', 'SELECT 1', [], true);
  }

  /** Closes every connection; a second call waits for the first. */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }

  private async retrying<T>(operation: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (thrown) {
        const sent = thrown instanceof SentError;
        const err = sent ? thrown.cause : thrown;
        if (err instanceof PostgresStoreError) throw err;
        if (sent || !isTransient(err) || this.closed) throw asStoreError(operation, err);
        if (attempt + 1 >= this.attempts) throw new PostgresStoreError(operation, err, true);
        const delay = jitteredBackoffMs(attempt, 100, 2_000, 0.5);
        this.log.warn('store operation failed on a transient error; trying again', {
          operation,
          attempt: attempt + 1,
          delayMs: delay,
          error: (err as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/** A statement failed after it was sent: whether it took effect is unknown, so it is not tried again. */
class SentError extends Error {
  constructor(override readonly cause: unknown) {
    super('statement failed after it was sent', { cause });
  }
}

/** Errors of the store's own making (typed, e.g. a refused job) pass as they are; driver errors get the operation's name. */
function asStoreError(operation: string, err: unknown): Error {
  const ownTyped =
    err instanceof Error &&
    !(err instanceof pg.DatabaseError) &&
    !('syscall' in err) &&
    typeof (err as { code?: unknown }).code === 'string';
  return ownTyped ? err : new PostgresStoreError(operation, err, false);
}

/** Refuses anything but a postgres:// or postgresql:// URL with a host and a database, without echoing it. */
function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreUrlError('is not a URL (expected postgres://user:password@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreUrlError(`must start with postgres:// (got ${parsed.protocol}//)`);
  }
  if (!parsed.hostname) throw new StoreUrlError('names no host');
  if (parsed.pathname.replace(/^\//, '') === '') throw new StoreUrlError('names no database (…/database)');
}
