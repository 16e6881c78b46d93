import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const run = promisify(execFile);

/** The role the tests connect as, and its password (scram-sha-256 over TCP; the URL carries it). */
const ROLE = 'postgres';
const PASSWORD = 'cluster-test-secret';

/** A PostgreSQL server of its own for a test file: a fresh data directory, 127.0.0.1 only, stopped and removed by `stop()`. */
export interface PostgresCluster {
  host: '127.0.0.1';
  port: number;
  /** The password of {@link PostgresCluster.url}'s role (tests check that it never shows). */
  password: string;
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`. */
  url: string;
  /** Creates an empty database and answers its URL (same role and password). */
  createDatabase(name: string): Promise<string>;
  /** The URL of database `name` (which must exist). */
  urlOf(name: string): string;
  /**
   * Restarts the server (`-m fast`: open connections are ended) on the same port, data kept; resolves when it
   * accepts connections again. For tests of what clients do when the database goes away and comes back.
   */
  restart(): Promise<void>;
  /** Stops the server at once (`-m immediate`) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Where the server binaries of Debian's `postgresql` package are: PG_BINDIR if set, else the newest
 * `/usr/lib/postgresql/<version>/bin` holding `initdb`, else what `pg_config --bindir` says.
 */
export async function postgresBinDir(): Promise<string> {
  const given = process.env.PG_BINDIR;
  if (given) return given;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return path.join(root, versions[0], 'bin');
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    const dir = stdout.trim();
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  } catch {
    // no pg_config: fall through to the error below
  }
  throw new Error('PostgreSQL server binaries not found: install the postgresql package (or set PG_BINDIR)');
}

/** Runs a server binary as the `postgres` user when the tests run as root (the server refuses to run as root). */
async function asPostgres(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const root = process.getuid?.() === 0;
  const [cmd, argv] = root ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    const { stdout } = await run(cmd, argv, { env: { ...process.env, ...env }, timeout: 60_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${path.basename(bin)} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

/** Gives the directory to the `postgres` user when the tests run as root. */
async function handToPostgres(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  fs.chownSync(dir, uid, gid);
}

/**
 * Starts a private PostgreSQL server: `initdb` into a new temporary directory (owned by `postgres` when run as
 * root), listening on 127.0.0.1 at a free port only, its unix socket in that directory, password authentication
 * over TCP. fsync is off: the data is thrown away with the directory.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = await postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-cluster-'));
  fs.chmodSync(dir, 0o700);
  await handToPostgres(dir);
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  await handToPostgres(pwfile);
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  let port = 0;
  let options = '';
  try {
    await asPostgres(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      ROLE,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    // The free port may be taken before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
      try {
        await asPostgres(path.join(bin, 'pg_ctl'), [
          '-D',
          data,
          '-l',
          path.join(dir, 'server.log'),
          '-w',
          '-t',
          '30',
          '-o',
          options,
          'start',
        ]);
        break;
      } catch (err) {
        if (attempt >= 3) throw new Error(`${(err as Error).message}\n${readLog(dir)}`, { cause: err });
      }
    }
  } catch (err) {
    remove();
    throw err;
  }
  const urlOf = (name: string): string => `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    password: PASSWORD,
    url: urlOf('postgres'),
    urlOf,
    async createDatabase(name: string): Promise<string> {
      await asPostgres(path.join(bin, 'createdb'), ['-h', dir, '-p', String(port), '-U', ROLE, name]);
      return urlOf(name);
    },
    async restart(): Promise<void> {
      await asPostgres(path.join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-m',
        'fast',
        '-w',
        '-t',
        '30',
        '-o',
        options,
        'restart',
      ]);
    },
    stop(): Promise<void> {
      stopped ??= asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
        .catch(() => undefined)
        .then(remove);
      return stopped;
    },
  };
}

function readLog(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'server.log'), 'utf8');
  } catch {
    return '';
  }
}
