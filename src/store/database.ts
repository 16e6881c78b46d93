import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreFileError } from './store-errors';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the embedded SQLite database in WAL mode.
 * `:memory:` is accepted for tests.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') checkStorePath(file);
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new StoreFileError(file, err);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Creates the directory of a store file and checks that the file can be made there, so that the error names
 * the path and the reason rather than SQLite's "unable to open database file".
 */
function checkStorePath(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fs.accessSync(fs.existsSync(file) ? file : dir, fs.constants.R_OK | fs.constants.W_OK);
  } catch (err) {
    throw new StoreFileError(file, err);
  }
}

/**
 * Applies a component's schema migrations in order, once each, recording them in `schema_migrations`.
 * Each component (jobs, outbox, …) owns its own ordered list; a migration is never edited once released,
 * a change is a new entry appended to the list.
 */
export function applyMigrations(db: Db, component: string, migrations: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version))`);
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE component = ?').get(component) as { v: number | null }).v ?? 0;
  if (current > migrations.length) {
    throw new Error(`store schema for ${component} is at version ${current}, newer than this build knows (${migrations.length})`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (component, version, applied_at) VALUES (?, ?, ?)');
  for (let v = current + 1; v <= migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v - 1]);
      record.run(component, v, new Date().toISOString());
    })();
  }
}
