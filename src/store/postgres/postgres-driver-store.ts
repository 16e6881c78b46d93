import { jobDescriptorJson, renderEntryJson, type Job, type JobEntry, type JobStatus } from '../../jobs/job-model';
import {
  checkFence,
  entryTexts,
  nextEntry,
  OperationInProgressError,
  VnfNotFoundError,
  VnfNotOperableError,
  type ClaimOptions,
  type DriverStore,
  type JobChange,
  type JobFence,
  type NewJob,
} from '../../jobs/job-store';
import { decodeCursor, pageOf, type JobQuery, type JobSummary, type Page, type VnfQuery } from '../../jobs/store-listing';
import {
  entryFromRow,
  jobFromRow,
  jobSummaryFromRow,
  vnfFromRow,
  vnfToRow,
  type EntryRow,
  type JobRow,
  type VnfRow,
} from '../../jobs/store-rows';
import type { VnfPatch, VnfRecord } from '../../vnfs/vnf-record';
import { PostgresDatabase, type PostgresOptions, type Tx } from './postgres-database';
import { applyPostgresMigrations } from './postgres-migrations';
import { POSTGRES_JOB_MIGRATIONS } from './postgres-schema';

/** Options of {@link PostgresDriverStore.open}. */
export interface PostgresStoreOptions extends PostgresOptions {
  /** Applied to every job text before it is written (statusDescription, errorCode): masks secrets. Default: as given. */
  redact?: (text: string) => string;
}

const UNFINISHED = "status IN ('started', 'processing')";
const ENTRY_COLS = 'response_id, status, progress, status_description, error_code, at';
/** A lease of $n milliseconds from now on the database's clock. */
const leaseFrom = (param: string): string => `now() + (${param}::double precision * interval '1 millisecond')`;

/**
 * The store on PostgreSQL (STORE_URL), shared by every replica of the service. Each method is one statement or one
 * transaction, committed before its Promise resolves. The rules that replicas could break by racing are held by the
 * database: one unfinished job per VNF (a partial unique index), job ownership (owner, epoch and a lease on the
 * database's clock; claims skip rows another replica holds locked), fenced job writes (checked in the statement or
 * transaction that writes). Polls are answered from the database, not from a cache, as other replicas write jobs.
 */
export class PostgresDriverStore implements DriverStore {
  private readonly redact: (text: string) => string;

  private constructor(
    private readonly db: PostgresDatabase,
    options: PostgresStoreOptions,
  ) {
    this.redact = options.redact ?? ((text) => text);
  }

  /** Connects to `url` and brings the schema up to date (once, whichever replica comes first). */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresDriverStore> {
    const db = new PostgresDatabase(url, options);
    try {
      await applyPostgresMigrations(db, 'jobs', POSTGRES_JOB_MIGRATIONS);
    } catch (err) {
      await db.close();
      throw err;
    }
    return new PostgresDriverStore(db, options);
  }

  /** The connection pool, for components keeping their own tables in the same database (the Notify outbox). */
  get database(): PostgresDatabase {
    return this.db;
  }

  createJob(job: NewJob, vnf?: VnfRecord): Promise<Job> {
    const statusDescription = this.redact(job.statusDescription);
    return this.db.transaction('createJob', async (tx) => {
      if (job.refuseWhenVnfIs?.length) {
        // FOR SHARE: the VNF's status cannot change until this job is committed (or refused).
        const { rows } = await tx.query<{ status: VnfRecord['status'] }>(
          'SELECT status FROM vnf_instances WHERE vnf_instance_id = $1 FOR SHARE',
          [job.vnfInstanceId],
        );
        const status = rows[0]?.status;
        if (status && job.refuseWhenVnfIs.includes(status)) throw new VnfNotOperableError(job.vnfInstanceId, status);
      }
      if (vnf) {
        const r = vnfToRow(vnf);
        await tx.query('INSERT INTO vnf_instances VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)', [
          r.vnf_instance_id,
          r.vnfm_id,
          r.name,
          r.description,
          r.vnfd_id,
          r.vnf_package_id,
          r.esc_tenant,
          r.esc_deployment,
          r.vim_id,
          r.status,
          r.attributes,
          r.created_at,
          r.updated_at,
        ]);
      }
      const now = new Date().toISOString();
      // The partial unique index decides which of several concurrent jobs of one VNF is created: the others do nothing.
      const { rows } = await tx.query<JobRow>(
        `INSERT INTO jobs (job_id, operation, vnf_instance_id, vnfm_id, request, request_id, status, progress, status_description,
           error_code, response_id, state, created_at, updated_at, owner, epoch, lease_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'started', 0, $7, NULL, 1, NULL, $8, $8, $9::text,
           CASE WHEN $9::text IS NULL THEN 0 ELSE 1 END, CASE WHEN $9::text IS NULL THEN NULL ELSE ${leaseFrom('$10')} END)
         ON CONFLICT (vnf_instance_id) WHERE ${UNFINISHED} DO NOTHING
         RETURNING *`,
        [
          job.jobId,
          job.operation,
          job.vnfInstanceId,
          job.vnfmId,
          JSON.stringify(job.request ?? null),
          job.requestId,
          statusDescription,
          now,
          job.owner?.replicaId ?? null,
          job.owner?.leaseMs ?? 0,
        ],
      );
      if (rows.length === 0) {
        const running = await tx.query<{ job_id: string }>(`SELECT job_id FROM jobs WHERE vnf_instance_id = $1 AND ${UNFINISHED}`, [
          job.vnfInstanceId,
        ]);
        throw new OperationInProgressError(job.vnfInstanceId, running.rows[0]?.job_id ?? 'unknown (ended meanwhile)');
      }
      await tx.query(
        `INSERT INTO job_history (job_id, ${ENTRY_COLS}, written_by, written_epoch) VALUES ($1, 1, 'started', 0, $2, NULL, $3, $4, $5)`,
        [job.jobId, statusDescription, now, job.owner?.replicaId ?? null, job.owner ? 1 : null],
      );
      return jobFromRow(rows[0]);
    });
  }

  appendEntry(jobId: string, change: JobChange, fence?: JobFence): Promise<JobEntry | undefined> {
    const texts = entryTexts(change, this.redact);
    return this.db.transaction('appendEntry', async (tx) => {
      const { rows } = await tx.query<{ status: JobStatus; response_id: number; owner: string | null; epoch: number }>(
        'SELECT status, response_id, owner, epoch FROM jobs WHERE job_id = $1 FOR UPDATE',
        [jobId],
      );
      const head = rows[0];
      const entry = head && nextEntry(jobId, head, change, fence, texts);
      if (!entry) return undefined;
      await tx.query(
        `UPDATE jobs SET status = $1, progress = $2, status_description = $3, error_code = $4, response_id = $5, updated_at = $6
         WHERE job_id = $7`,
        [entry.status, entry.progress, entry.statusDescription, entry.errorCode, entry.responseId, entry.at, jobId],
      );
      // The writer's fence is kept with the entry (null when unfenced): the history shows who wrote what, under which epoch.
      await tx.query(
        `INSERT INTO job_history (job_id, ${ENTRY_COLS}, written_by, written_epoch) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          jobId,
          entry.responseId,
          entry.status,
          entry.progress,
          entry.statusDescription,
          entry.errorCode,
          entry.at,
          fence?.replicaId ?? null,
          fence?.epoch ?? null,
        ],
      );
      return entry;
    });
  }

  async saveState(jobId: string, state: Record<string, unknown>, fence?: JobFence): Promise<void> {
    const rows = await this.db.query(
      'saveState',
      `UPDATE jobs SET state = $2, updated_at = $3 WHERE job_id = $1 AND ($4::text IS NULL OR (owner = $4 AND epoch = $5)) RETURNING 1`,
      [jobId, JSON.stringify(state), new Date().toISOString(), fence?.replicaId ?? null, fence?.epoch ?? 0],
    );
    if (rows.length === 0 && fence) {
      const owner = await this.db.query<{ owner: string | null; epoch: number }>(
        'saveState',
        'SELECT owner, epoch FROM jobs WHERE job_id = $1',
        [jobId],
        true,
      );
      if (owner[0]) checkFence(jobId, owner[0], fence);
    }
  }

  async getJob(jobId: string): Promise<Job | undefined> {
    const rows = await this.db.query<JobRow>('getJob', 'SELECT * FROM jobs WHERE job_id = $1', [jobId], true);
    return rows[0] ? jobFromRow(rows[0]) : undefined;
  }

  async jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId?: string): Promise<string | undefined> {
    const rows = await this.db.query<EntryRow & { vnfm_id: string }>(
      'jobDescriptorJson',
      `SELECT j.vnfm_id, h.response_id, h.status, h.progress, h.status_description, h.error_code, h.at
       FROM jobs j JOIN job_history h ON h.job_id = j.job_id WHERE j.job_id = $1 ORDER BY h.response_id DESC`,
      [jobId],
      true,
    );
    if (rows.length === 0 || (vnfmId !== undefined && rows[0].vnfm_id !== vnfmId)) return undefined;
    const entries = rows.map(entryFromRow);
    return jobDescriptorJson(jobId, entries, entries.map(renderEntryJson), afterResponseId);
  }

  async history(jobId: string): Promise<JobEntry[]> {
    const rows = await this.db.query<EntryRow>(
      'history',
      `SELECT ${ENTRY_COLS} FROM job_history WHERE job_id = $1 ORDER BY response_id`,
      [jobId],
      true,
    );
    return rows.map(entryFromRow);
  }

  async unfinishedJobs(): Promise<Job[]> {
    const rows = await this.db.query<JobRow>(
      'unfinishedJobs',
      `SELECT * FROM jobs WHERE ${UNFINISHED} ORDER BY created_at, job_id`,
      [],
      true,
    );
    return rows.map(jobFromRow);
  }

  async renewLeases(replicaId: string, leaseMs: number, jobIds?: readonly string[]): Promise<string[]> {
    const rows = await this.db.query<{ job_id: string }>(
      'renewLeases',
      `UPDATE jobs SET lease_expires_at = ${leaseFrom('$2')}
       WHERE owner = $1 AND ${UNFINISHED} AND ($3::text[] IS NULL OR job_id = ANY($3)) RETURNING job_id`,
      [replicaId, leaseMs, jobIds ? [...jobIds] : null],
    );
    return rows.map((r) => r.job_id);
  }

  async claimOrphans(replicaId: string, leaseMs: number, limit: number, options: ClaimOptions = {}): Promise<Job[]> {
    if (limit <= 0) return [];
    // SKIP LOCKED: a job another replica is claiming (or writing) right now is left to it.
    const rows = await this.db.query<JobRow>(
      'claimOrphans',
      `UPDATE jobs j SET owner = $1, epoch = j.epoch + 1, lease_expires_at = ${leaseFrom('$2')}
       FROM (SELECT job_id FROM jobs WHERE ${UNFINISHED}
               AND (owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at < now() OR owner = $4::text)
               AND NOT (job_id = ANY($5::text[]))
             ORDER BY created_at, job_id LIMIT $3 FOR UPDATE SKIP LOCKED) orphan
       WHERE j.job_id = orphan.job_id RETURNING j.*`,
      [replicaId, leaseMs, limit, options.adoptOwn ? replicaId : null, [...(options.exclude ?? [])]],
    );
    return rows
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.job_id < b.job_id ? -1 : 1))
      .map(jobFromRow);
  }

  async getVnf(vnfInstanceId: string): Promise<VnfRecord | undefined> {
    const rows = await this.db.query<VnfRow>('getVnf', 'SELECT * FROM vnf_instances WHERE vnf_instance_id = $1', [vnfInstanceId], true);
    return rows[0] ? vnfFromRow(rows[0]) : undefined;
  }

  updateVnf(vnfInstanceId: string, patch: VnfPatch, fence?: JobFence & { jobId: string }): Promise<VnfRecord> {
    return this.db.transaction('updateVnf', async (tx) => {
      if (fence) await checkFenceIn(tx, fence.jobId, fence);
      const { rows } = await tx.query<VnfRow>('SELECT * FROM vnf_instances WHERE vnf_instance_id = $1 FOR UPDATE', [vnfInstanceId]);
      if (!rows[0]) throw new VnfNotFoundError(vnfInstanceId);
      const next: VnfRecord = { ...vnfFromRow(rows[0]), ...patch, updatedAt: new Date().toISOString() };
      const r = vnfToRow(next);
      await tx.query(
        `UPDATE vnf_instances SET esc_tenant = $2, esc_deployment = $3, vim_id = $4, status = $5, attributes = $6, updated_at = $7
         WHERE vnf_instance_id = $1`,
        [r.vnf_instance_id, r.esc_tenant, r.esc_deployment, r.vim_id, r.status, r.attributes, r.updated_at],
      );
      return next;
    });
  }

  async findByDeployment(tenant: string, deployment: string): Promise<VnfRecord | undefined> {
    const rows = await this.db.query<VnfRow>(
      'findByDeployment',
      'SELECT * FROM vnf_instances WHERE esc_tenant = $1 AND esc_deployment = $2 ORDER BY created_at DESC LIMIT 1',
      [tenant, deployment],
      true,
    );
    return rows[0] ? vnfFromRow(rows[0]) : undefined;
  }

  async vnfsWithDeployment(): Promise<VnfRecord[]> {
    const rows = await this.db.query<VnfRow>(
      'vnfsWithDeployment',
      "SELECT * FROM vnf_instances WHERE esc_deployment IS NOT NULL AND status <> 'TERMINATED' ORDER BY created_at, vnf_instance_id",
      [],
      true,
    );
    return rows.map(vnfFromRow);
  }

  async listJobs(query: JobQuery): Promise<Page<JobSummary>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.db.query<JobRow>(
      'listJobs',
      `SELECT * FROM jobs WHERE vnfm_id = $1 AND ($2::text[] IS NULL OR status = ANY($2)) AND ($3::text[] IS NULL OR operation = ANY($3))
         AND ($4::text IS NULL OR (created_at, job_id) < ($4, $5))
       ORDER BY created_at DESC, job_id DESC LIMIT $6`,
      [
        query.vnfmId,
        listOrNull(query.statuses),
        listOrNull(query.operations),
        after?.createdAt ?? null,
        after?.id ?? null,
        query.limit + 1,
      ],
      true,
    );
    return pageOf(rows, query.limit, jobSummaryFromRow, (r) => ({ createdAt: r.created_at, id: r.job_id }));
  }

  async listVnfs(query: VnfQuery): Promise<Page<VnfRecord>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.db.query<VnfRow>(
      'listVnfs',
      `SELECT * FROM vnf_instances WHERE vnfm_id = $1 AND ($2::text[] IS NULL OR status = ANY($2))
         AND ($3::text IS NULL OR (created_at, vnf_instance_id) < ($3, $4))
       ORDER BY created_at DESC, vnf_instance_id DESC LIMIT $5`,
      [query.vnfmId, listOrNull(query.statuses), after?.createdAt ?? null, after?.id ?? null, query.limit + 1],
      true,
    );
    return pageOf(rows, query.limit, vnfFromRow, (r) => ({ createdAt: r.created_at, id: r.vnf_instance_id }));
  }

  ping(): Promise<void> {
    return this.db.ping();
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Checks a fence inside a transaction, holding the job's row so that no claim overtakes the write. */
async function checkFenceIn(tx: Tx, jobId: string, fence: JobFence): Promise<void> {
  const { rows } = await tx.query<{ owner: string | null; epoch: number }>('SELECT owner, epoch FROM jobs WHERE job_id = $1 FOR SHARE', [
    jobId,
  ]);
  if (rows[0]) checkFence(jobId, rows[0], fence);
}

function listOrNull(values: readonly string[] | undefined): string[] | null {
  return values && values.length > 0 ? [...values] : null;
}
