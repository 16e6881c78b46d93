import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir, startPostgresCluster, type PostgresCluster } from '../../support/postgres-cluster';

const run = promisify(execFile);

/** The test support's own check: a private server that answers on 127.0.0.1, asks for the password, and goes away. */
describe('private PostgreSQL cluster', () => {
  let cluster: PostgresCluster;
  let psql: string;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    psql = path.join(await postgresBinDir(), 'psql');
  }, 60_000);

  afterAll(() => cluster?.stop());

  const query = async (url: string, sql: string): Promise<string> =>
    (await run(psql, [url, '-tAc', sql], { env: { ...process.env, PGCONNECT_TIMEOUT: '5' } })).stdout.trim();

  it('creates a database that answers over TCP on 127.0.0.1 with the password', async () => {
    const url = await cluster.createDatabase('cluster_check');
    expect(url).toBe(cluster.urlOf('cluster_check'));
    expect(await query(url, 'SELECT current_database()')).toBe('cluster_check');
    expect(await query(url, "SELECT setting FROM pg_settings WHERE name = 'listen_addresses'")).toBe('127.0.0.1');
  });

  it('refuses a wrong password', async () => {
    const wrong = cluster.url.replace(cluster.password, 'not-the-password');
    await expect(query(wrong, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('stops the server and removes its directory', async () => {
    const other = await startPostgresCluster();
    const dir = (await query(other.url, 'SHOW data_directory')).replace(/\/data$/, '');
    expect(fs.existsSync(dir)).toBe(true);
    await other.stop();
    expect(fs.existsSync(dir)).toBe(false);
    await expect(query(other.url, 'SELECT 1')).rejects.toThrow();
  }, 60_000);
});
