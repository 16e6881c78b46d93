import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteDriverStore } from '../../../src/jobs/sqlite-store';
import { openDatabase, type Db } from '../../../src/store/database';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '../../../src/store/wal-checkpointer';
import { waitFor } from '../../support/waiting';

/** SQLite's own default for `wal_autocheckpoint`. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
const ROWS = 3000;
const ROW_BYTES = 1000;
/** What the rows take at least once they are in the database file. */
const ROWS_ON_DISK = ROWS * ROW_BYTES;

// A worker thread starts and stops more slowly when the whole suite runs on two cores: generous deadlines, polled.
jest.setTimeout(20_000);

const until = (what: string, check: () => boolean, deadlineMs = 10_000): Promise<void> => waitFor(check, deadlineMs, { what });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const sizeOf = (file: string): number => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/** Rows of `item` found in the database file alone, read from a copy made without its -wal file. */
function rowsInDatabaseFile(file: string, copy: string): number {
  fs.copyFileSync(file, copy);
  for (const extra of [`${copy}-wal`, `${copy}-shm`]) fs.rmSync(extra, { force: true });
  const db = new Database(copy);
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM item').get() as { n: number }).n;
  } catch {
    return -1;
  } finally {
    db.close();
  }
}

/** Resolves with the exit code of the checkpointer's thread (looked up right after start, before it can exit). */
function exitOf(checkpointer: WalCheckpointer): Promise<number> {
  const worker = (checkpointer as unknown as { worker: Worker }).worker;
  return new Promise((resolve) => worker.once('exit', resolve));
}

/** Writes ROWS rows of ROW_BYTES each, one transaction per row. */
function writeRows(db: Db): void {
  const insert = db.prepare('INSERT INTO item (payload) VALUES (?)');
  const payload = 'x'.repeat(ROW_BYTES);
  for (let i = 0; i < ROWS; i++) insert.run(payload);
}

describe('WalCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: Db | undefined;
  let running: { checkpointer: WalCheckpointer; exited: Promise<number> } | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-checkpointer-'));
    file = path.join(dir, 'store.db');
  });

  afterEach(async () => {
    if (running) {
      running.checkpointer.stop();
      await running.exited;
      running = undefined;
    }
    if (db?.open) db.close();
    db = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a checkpointer every 20 ms for `target`, its messages collected in `errors`; stopped after the test. */
  function start(target: string, errors: string[]): WalCheckpointer {
    const checkpointer = WalCheckpointer.start(db!, target, { intervalMs: 20, onError: (m) => errors.push(m) })!;
    running = { checkpointer, exited: exitOf(checkpointer) };
    return checkpointer;
  }

  function openWithTable(): Db {
    const opened = openDatabase(file);
    opened.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    return opened;
  }

  it('when the database is in memory, then nothing is started and the autocheckpoint is left alone', () => {
    const errors: string[] = [];
    db = openDatabase(':memory:');

    expect(WalCheckpointer.start(db, ':memory:', { intervalMs: 20, onError: (m) => errors.push(m) })).toBeUndefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    expect(errors).toEqual([]);
  });

  it('when started for a file, then the main connection only checkpoints by itself past the backstop', () => {
    db = openWithTable();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);

    const checkpointer = start(file, []);

    expect(checkpointer).toBeInstanceOf(WalCheckpointer);
    expect(BACKSTOP_AUTOCHECKPOINT_PAGES).toBe(10_000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
  });

  it('when nothing checkpoints besides the backstop, then a few MB of commits stay in the write-ahead log (control)', () => {
    db = openWithTable();
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);

    writeRows(db);

    expect(sizeOf(file)).toBeLessThan(ROWS_ON_DISK / 10);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(ROWS_ON_DISK);
    expect(rowsInDatabaseFile(file, path.join(dir, 'copy.db'))).not.toBe(ROWS);
  });

  it('when rows are committed one by one, then the worker copies them into the database file in the background', async () => {
    const errors: string[] = [];
    db = openWithTable();
    start(file, errors);

    writeRows(db);

    await until('the database file holds the rows', () => sizeOf(file) >= ROWS_ON_DISK);
    const copy = path.join(dir, 'copy.db');
    await until('every row is in the database file', () => rowsInDatabaseFile(file, copy) === ROWS);
    expect(errors).toEqual([]);
  });

  it('when stopped, then the worker closes its connection and exits without reporting anything', async () => {
    const errors: string[] = [];
    db = openWithTable();
    const checkpointer = start(file, errors);
    writeRows(db);
    // Once the database file has grown, the worker has its connection open.
    await until('the worker has checkpointed', () => sizeOf(file) >= ROWS_ON_DISK);

    const stopped = checkpointer.stop();
    expect(checkpointer.stop()).toBe(stopped);
    await stopped;

    await expect(running!.exited).resolves.toBe(0);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    db.close();
    // SQLite removes the log when its last connection closes: the worker's connection was closed before.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    await sleep(60);
    expect(errors).toEqual([]);
  });

  it('when the thread does not exit in time after stop, then it is terminated and onError says so', async () => {
    const errors: string[] = [];
    db = openWithTable();
    const checkpointer = start(file, errors);
    // A zero wait gives up before the thread has even loaded its driver (tens of ms): it is terminated.
    await checkpointer.stop(0);

    await running!.exited;
    expect(errors).toEqual(['WAL checkpoint thread did not exit within 0 ms of being stopped: terminated']);
  });

  it('when the database file does not exist, then onError tells that the thread failed and exited', async () => {
    const errors: string[] = [];
    db = openWithTable();
    const missing = path.join(dir, 'missing.db');

    start(missing, errors);

    expect(await running!.exited).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(/^WAL checkpoint thread failed: /),
      expect.stringMatching(/^WAL checkpoint thread exited \(code 1\); commits checkpoint the log themselves$/),
    ]);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('when a checkpoint fails, then onError is told each time and the worker keeps going until stopped', async () => {
    const errors: string[] = [];
    db = openWithTable();
    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'this is not an SQLite database, only text long enough to fill a header. '.repeat(100));

    const checkpointer = start(garbage, errors);

    await until('two failed checkpoints are reported', () => errors.length >= 2);
    expect(errors.every((m) => m.startsWith('WAL checkpoint failed: '))).toBe(true);
    checkpointer.stop();
    expect(await running!.exited).toBe(0);
    const seen = errors.length;
    await sleep(60);
    expect(errors.length).toBe(seen);
    expect(errors.some((m) => m.includes('exited'))).toBe(false);
  });

  it('when stopped before the thread opened the database, then a later failure of the thread is not reported', async () => {
    const errors: string[] = [];
    db = openWithTable();
    const checkpointer = start(file, errors);

    checkpointer.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });

    await running!.exited;
    expect(errors).toEqual([]);
  });
});

describe('SqliteDriverStore with a WAL checkpoint interval', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-wal-'));
    file = path.join(dir, 'nested', 'store.db');
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const mainConnection = (store: SqliteDriverStore): Db => (store as unknown as { db: Db }).db;
  const newJob = (jobId: string, vnfInstanceId: string) => ({
    jobId, operation: 'instantiate' as const, vnfInstanceId, vnfmId: 'm', request: { a: 1 }, requestId: 'r', statusDescription: 'accepted',
  });

  it('when no interval is given, then the store keeps SQLite\'s own autocheckpoint', () => {
    const store = SqliteDriverStore.open(file);
    try {
      expect(mainConnection(store).pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    } finally {
      store.close();
    }
  });

  it('when the store is in memory, then the interval is ignored', () => {
    const warnings: string[] = [];
    const store = SqliteDriverStore.open(':memory:', { walCheckpointIntervalMs: 20, onStoreWarning: (m) => warnings.push(m) });
    try {
      expect(mainConnection(store).pragma('wal_autocheckpoint', { simple: true })).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT);
    } finally {
      store.close();
    }
    expect(warnings).toEqual([]);
  });

  it('when jobs are written, then the log is checkpointed in the background and shutdown() stops the worker first', async () => {
    const warnings: string[] = [];
    const store = SqliteDriverStore.open(file, { walCheckpointIntervalMs: 20, onStoreWarning: (m) => warnings.push(m) });
    const db = mainConnection(store);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    const sizeBefore = sizeOf(file);

    for (let i = 0; i < 300; i++) {
      const jobId = `job-${i}`;
      store.createJob(newJob(jobId, `vnf-${i}`));
      for (let p = 10; p <= 90; p += 10) store.appendEntry(jobId, { status: 'processing', progress: p, statusDescription: `step ${p} `.repeat(20) });
    }
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;

    await until('the database file holds every page', () => sizeOf(file) >= pages * pageSize);
    expect(sizeOf(file)).toBeGreaterThan(sizeBefore + 100 * pageSize);

    await store.shutdown();
    expect(db.open).toBe(false);
    // The thread closed its connection before the main one did, which as the last one removed the log.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    await sleep(60);
    expect(warnings).toEqual([]);

    const reopened = SqliteDriverStore.open(file);
    try {
      expect(reopened.getJob('job-299')?.latest).toMatchObject({ status: 'processing', progress: 90, responseId: 10 });
    } finally {
      reopened.close();
    }
  });

  it('when closed at once, then the worker is stopped without a warning and the log is replayed at the next open', async () => {
    const warnings: string[] = [];
    const store = SqliteDriverStore.open(file, { walCheckpointIntervalMs: 20, onStoreWarning: (m) => warnings.push(m) });
    const checkpointer = (store as unknown as { checkpointer: WalCheckpointer }).checkpointer;
    const exited = exitOf(checkpointer);
    store.createJob(newJob('job-1', 'vnf-1'));

    store.close();

    expect(await exited).toBe(0);
    await sleep(60);
    expect(warnings).toEqual([]);
    const reopened = SqliteDriverStore.open(file);
    try {
      expect(reopened.getJob('job-1')?.latest).toMatchObject({ status: 'started', responseId: 1 });
    } finally {
      reopened.close();
    }
  });
});
