import type { PostgresDatabase } from './postgres-database';

/**
 * Applies a component's schema migrations in order, once each, recording them in `schema_migrations` (as the SQLite
 * side does). All of them run in one transaction that first takes a transaction-level advisory lock: replicas
 * starting together wait for each other, and the second finds the migrations applied by the first.
 */
export async function applyPostgresMigrations(db: PostgresDatabase, component: string, migrations: readonly string[]): Promise<void> {
  await db.transaction(`migrate ${component}`, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('esc-vnfm-driver schema'))");
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await tx.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations WHERE component = $1', [
      component,
    ]);
    const current = rows[0]?.v ?? 0;
    if (current > migrations.length) {
      throw new Error(`store schema for ${component} is at version ${current}, newer than this build knows (${migrations.length})`);
    }
    for (let v = current + 1; v <= migrations.length; v++) {
      await tx.query(migrations[v - 1]);
      await tx.query('INSERT INTO schema_migrations (component, version) VALUES ($1, $2)', [component, v]);
    }
  });
}
