import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../src/store/database';
import { StoreFileError } from '../../../src/store/store-errors';
import { StoreLock, StoreLockedError } from '../../../src/store/store-lock';

describe('StoreLock', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-lock-'));
    file = path.join(dir, 'driver.db');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("when the store is held, then a second taker is refused with the file and the holder's pid and host", () => {
    const first = StoreLock.acquire(file);
    try {
      let refused: unknown;
      try {
        StoreLock.acquire(file);
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(StoreLockedError);
      const err = refused as StoreLockedError;
      expect(err.message).toContain(file);
      expect(err.message).toContain(`process ${process.pid} on ${os.hostname()}`);
      expect(err.holder?.pid).toBe(process.pid);
    } finally {
      first.release();
    }
  });

  it('when the holder releases the lock, then the next taker gets it', () => {
    StoreLock.acquire(file).release();
    const second = StoreLock.acquire(file);
    second.release();
    second.release();
  });

  it('when the holding process was killed, then its lock is gone without any clean-up', async () => {
    const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(`${file}.lock`)}, { timeout: 0 });
      db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    expect(() => StoreLock.acquire(file)).toThrow(StoreLockedError);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    StoreLock.acquire(file).release();
  });
});

describe('openDatabase', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-path-'));
  });

  afterEach(() => {
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the store path is a directory, then the error names the path and says so', () => {
    expect(() => openDatabase(dir)).toThrow(new StoreFileError(dir, Object.assign(new Error('x'), { code: 'EISDIR' })).message);
  });

  it('when the directory cannot be written, then the error names the path and says permission denied', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro, { mode: 0o500 });
    const file = path.join(ro, 'driver.db');
    expect(() => openDatabase(file)).toThrow(`cannot open store file ${file}: permission denied`);
  });

  it('when a part of the path is a file, then the error names the path', () => {
    const blocker = path.join(dir, 'blocker');
    fs.writeFileSync(blocker, '');
    const file = path.join(blocker, 'driver.db');
    expect(() => openDatabase(file)).toThrow(`cannot open store file ${file}`);
  });
});
