import type { ServiceConfig } from '../config/config-schema';
import type { DriverStore } from '../jobs/job-store';
import { SqliteDriverStore } from '../jobs/sqlite-store';
import type { ReconcileLock } from '../lifecycle/ports';
import type { Log } from '../logging/log';
import type { NotifyOutboxStore } from '../nslcm/notify-outbox';
import { SqliteNotifyOutboxStore } from '../nslcm/notify-outbox-store';
import { PostgresDriverStore } from '../store/postgres/postgres-driver-store';
import { PostgresNotifyOutboxStore } from '../store/postgres/postgres-outbox-store';
import type { Db } from '../store/database';

/**
 * Opens the store the configuration names: PostgreSQL at STORE_URL (shared by replicas; its password is already
 * registered as a secret by the settings), else the embedded SQLite file at STORE_PATH.
 */
export async function openStore(config: ServiceConfig, opts: { redact: (text: string) => string; log: Log }): Promise<DriverStore> {
  if (!config.storeUrl) return SqliteDriverStore.open(config.storePath, { redact: opts.redact });
  return PostgresDriverStore.open(config.storeUrl, {
    redact: opts.redact,
    log: opts.log,
    poolSize: config.storePoolSize,
    connectTimeoutMs: config.storeConnectTimeoutMs,
    statementTimeoutMs: config.storeStatementTimeoutMs,
  });
}

/** On PostgreSQL, replicas take turns to reconcile an ESC's deployments (an advisory lock per ESC); SQLite has one process. */
export function reconcileLockFor(store: DriverStore): ReconcileLock | undefined {
  if (!(store instanceof PostgresDriverStore)) return undefined;
  const db = store.database;
  return { tryHold: (key) => db.tryAdvisoryLock(key) };
}

/** The Notify outbox's store in the same database as `store`; on PostgreSQL, rows are claimed as `replicaId`. */
export async function outboxStoreFor(store: DriverStore, replicaId: string): Promise<NotifyOutboxStore> {
  if (store instanceof PostgresDriverStore) return PostgresNotifyOutboxStore.open(store.database, { replicaId });
  const db = (store as DriverStore & { database?: Db }).database;
  if (!db) throw new Error('the Notify outbox needs the SQLite or the PostgreSQL store (this store keeps no outbox)');
  return new SqliteNotifyOutboxStore(db);
}
