/** SQLSTATE classes and codes after which the same work may succeed on another try (the work was not done). */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The parts of a `pg` (or socket) error this store looks at. */
interface DriverError {
  code?: string;
  message?: string;
}

/** The SQLSTATE (or socket code) of an error, if any. */
export function errorCode(err: unknown): string | undefined {
  return (err as DriverError | undefined)?.code;
}

/** True when the error says the server or the connection failed, not the statement: trying again may work. */
export function isTransient(err: unknown): boolean {
  const code = errorCode(err);
  if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = (err as DriverError | undefined)?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Connection ended unexpectedly/i.test(message);
}

/**
 * A PostgreSQL store operation failed. Names the operation and the server's SQLSTATE; the message is the driver's,
 * which never holds the connection password (the URL's password is also registered as a secret, so logs mask it).
 */
export class PostgresStoreError extends Error {
  readonly code = 'POSTGRES_STORE';
  readonly sqlState?: string;
  constructor(
    readonly operation: string,
    cause: unknown,
    /** Whether retries were made and all failed on a transient error (the database is unreachable or restarting). */
    readonly transient = isTransient(cause),
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`store operation ${operation} failed${transient ? ' (database unavailable)' : ''}: ${reason}`, { cause });
    this.name = 'PostgresStoreError';
    this.sqlState = errorCode(cause);
  }
}

/** STORE_URL is not a postgres:// URL; says why without repeating the URL (it holds a password). */
export class StoreUrlError extends Error {
  readonly code = 'STORE_URL';
  constructor(reason: string) {
    super(`STORE_URL ${reason}`);
    this.name = 'StoreUrlError';
  }
}
