import { applyMigrations, openDatabase, type Db } from '../store/database';
import { groupCommitOf, type GroupCommit } from '../store/group-commit';
import { StoreLock } from '../store/store-lock';
import { settled } from '../store/settled';
import type { VnfPatch, VnfRecord } from '../vnfs/vnf-record';
import { isFinal, jobDescriptorJson, renderEntryJson, type Job, type JobEntry } from './job-model';
import { HistoryCache, type CachedHistory } from './history-cache';
import { VnfCache } from './vnf-cache';
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
} from './job-store';
import {
  ENTRY_COLS,
  entryFromRow,
  entryFromTuple,
  HISTORY_NEWEST_FIRST_SQL,
  jobFromRow,
  jobSummaryFromRow,
  vnfFromRow,
  vnfToRow,
  type EntryRow,
  type HistoryTuple,
  type JobRow,
  type VnfRow,
} from './store-rows';
import { JOB_MIGRATIONS } from './store-migrations';
import { decodeCursor, pageOf, type JobQuery, type JobSummary, type Page, type VnfQuery } from './store-listing';

/** Options of {@link SqliteDriverStore.open}. */
export interface SqliteStoreOptions {
  /** Jobs whose history is kept in memory for polls (default 10,000; 0 = none). */
  historyCacheJobs?: number;
  /** Applied to every job text before it is written (statusDescription, errorCode): masks secrets. Default: as given. */
  redact?: (text: string) => string;
}

/**
 * Default of {@link SqliteStoreOptions.historyCacheJobs}: about 1.5 kB each. A job leaves the cache once a poll has
 * answered with its final entry, so the cache holds the running jobs (and the ended ones not yet polled).
 */
export const DEFAULT_HISTORY_CACHE_JOBS = 10_000;

/**
 * The default store: embedded SQLite (better-sqlite3, WAL). better-sqlite3 is synchronous: each method does its
 * work when called. A read answers with an already settled Promise; a write runs in the connection's group commit
 * (src/store/group-commit.ts: the writes of a few milliseconds, of every job, share one transaction) and resolves
 * once that is committed. Polls read a job's history through a {@link HistoryCache} that is only changed after a
 * write has been committed; a job not held there is read, once the open group is committed, with one indexed
 * query on `job_history`'s primary key. VNF records are read through a {@link VnfCache} kept the same way: a VNF
 * written by the open group is read from the database (the transaction holds its newer row) until that group ends.
 */
export class SqliteDriverStore implements DriverStore {
  private readonly stmts;
  private readonly histories: HistoryCache;
  private readonly vnfs: VnfCache;
  /** VNFs written by the open group, which is the one of generation `writtenIn`; stale once the group has ended. */
  private readonly written = new Set<string>();
  private writtenIn = -1;
  private readonly redact: (text: string) => string;
  private readonly group: GroupCommit;
  /** Exclusive use of the file by this process (none for `:memory:`). */
  private lock?: StoreLock;

  /** Checks the fence, reads the job's status and last responseId, appends the entry, updates the latest columns (one group write). */
  private readonly appendTx: (jobId: string, change: JobChange, fence: JobFence | undefined) => JobEntry | undefined;

  private constructor(
    private readonly db: Db,
    options: SqliteStoreOptions,
  ) {
    this.stmts = prepareStatements(db);
    this.group = groupCommitOf(db);
    this.histories = new HistoryCache(options.historyCacheJobs ?? DEFAULT_HISTORY_CACHE_JOBS);
    this.vnfs = new VnfCache();
    const redact = (this.redact = options.redact ?? ((text) => text));
    this.appendTx = (jobId: string, change: JobChange, fence: JobFence | undefined): JobEntry | undefined => {
      const head = this.stmts.jobHead.get(jobId) as
        { status: JobEntry['status']; response_id: number; owner: string | null; epoch: number } | undefined;
      const entry = head && nextEntry(jobId, head, change, fence, entryTexts(change, redact));
      if (!entry) return undefined;
      // Same status (progress of a processing job): the status columns and their indexes are left alone.
      if (entry.status === head.status) {
        this.stmts.updateJobProgress.run(entry.progress, entry.statusDescription, entry.errorCode, entry.responseId, entry.at, jobId);
      } else {
        this.stmts.updateJobLatest.run(
          entry.status,
          entry.progress,
          entry.statusDescription,
          entry.errorCode,
          entry.responseId,
          entry.at,
          jobId,
        );
      }
      this.stmts.insertEntry.run(jobId, entry.responseId, entry.status, entry.progress, entry.statusDescription, entry.errorCode, entry.at);
      return entry;
    };
  }

  /** Opens (creating and migrating) the store at `file` (`:memory:` for tests). */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteDriverStore {
    const db = openDatabase(file);
    let lock: StoreLock | undefined;
    try {
      // Two processes on one file would both run (and resume) the same jobs: the second one refuses to start.
      if (file !== ':memory:') lock = StoreLock.acquire(file);
      applyMigrations(db, 'jobs', JOB_MIGRATIONS);
      // Holding the file proves that the process which owned its jobs is gone: their leases end now.
      if (lock) db.prepare("UPDATE jobs SET lease_expires_at = 0 WHERE status IN ('started', 'processing')").run();
    } catch (err) {
      lock?.release();
      db.close();
      throw err;
    }
    const store = new SqliteDriverStore(db, options);
    store.lock = lock;
    return store;
  }

  createJob(job: NewJob, vnf?: VnfRecord): Promise<Job> {
    const statusDescription = this.redact(job.statusDescription);
    // Inside a caller's transaction nothing is known to be committed: the job stays out of the cache.
    if (this.inCallerTransaction()) this.histories.delete(job.jobId);
    let vnfRow: VnfRow | undefined;
    return this.group.write(
      () => {
        const current = job.refuseWhenVnfIs?.length ? this.readVnf(job.vnfInstanceId) : undefined;
        if (current && job.refuseWhenVnfIs!.includes(current.status)) throw new VnfNotOperableError(job.vnfInstanceId, current.status);
        const running = this.stmts.runningJobOfVnf.get(job.vnfInstanceId) as { job_id: string } | undefined;
        if (running) throw new OperationInProgressError(job.vnfInstanceId, running.job_id);
        if (vnf) {
          this.noteVnfWrite(vnf.vnfInstanceId);
          this.stmts.insertVnf.run((vnfRow = vnfToRow(vnf)));
        }
        const now = new Date().toISOString();
        // The unique index jobs_one_unfinished_per_vnf holds the rule too; the check above names the running job.
        this.stmts.insertJob.run({
          job_id: job.jobId,
          operation: job.operation,
          vnf_instance_id: job.vnfInstanceId,
          vnfm_id: job.vnfmId,
          request: JSON.stringify(job.request ?? null),
          request_id: job.requestId,
          status: 'started',
          progress: 0,
          status_description: statusDescription,
          error_code: null,
          response_id: 1,
          state: null,
          created_at: now,
          updated_at: now,
          owner: job.owner?.replicaId ?? null,
          epoch: job.owner ? 1 : 0,
          lease_expires_at: job.owner ? Date.now() + job.owner.leaseMs : null,
        });
        this.stmts.insertEntry.run(job.jobId, 1, 'started', 0, statusDescription, null, now);
        return jobFromRow(this.stmts.getJob.get(job.jobId) as JobRow);
      },
      (created) => {
        this.histories.set(job.jobId, job.vnfmId, [{ ...created.latest }]);
        // A copy parsed from the row: the caller's record (and its attributes) stay the caller's.
        if (vnfRow) this.vnfs.set(vnfFromRow(vnfRow));
      },
    );
  }

  appendEntry(jobId: string, change: JobChange, fence?: JobFence): Promise<JobEntry | undefined> {
    if (this.inCallerTransaction()) this.histories.delete(jobId);
    return this.group.write(
      () => this.appendTx(jobId, change, fence),
      (appended) => appended && this.histories.prepend(jobId, { ...appended }),
    );
  }

  saveState(jobId: string, state: Record<string, unknown>, fence?: JobFence): Promise<void> {
    return this.group.writeOne(() => {
      const saved = this.stmts.saveState.run({
        state: JSON.stringify(state),
        at: new Date().toISOString(),
        jobId,
        owner: fence?.replicaId ?? null,
        epoch: fence?.epoch ?? null,
      });
      // Nothing saved: the job is unknown, or (the fence not matching) another replica's; the latter throws here.
      if (saved.changes === 0 && fence) this.checkFenceOf(jobId, fence);
    });
  }

  renewLeases(replicaId: string, leaseMs: number, jobIds?: readonly string[]): Promise<string[]> {
    return this.group.writeOne(() =>
      (
        this.stmts.renewLeases.all({ until: Date.now() + leaseMs, owner: replicaId, ids: jobIds ? JSON.stringify(jobIds) : null }) as {
          job_id: string;
        }[]
      ).map((r) => r.job_id),
    );
  }

  claimOrphans(replicaId: string, leaseMs: number, limit: number, options: ClaimOptions = {}): Promise<Job[]> {
    return this.group.write(() => {
      const now = Date.now();
      const rows = this.stmts.orphans.all({
        now,
        adopt: options.adoptOwn ? replicaId : null,
        limit,
        exclude: JSON.stringify(options.exclude ?? []),
      }) as JobRow[];
      for (const r of rows) this.stmts.claim.run(replicaId, now + leaseMs, r.job_id);
      return rows.map((r) => jobFromRow({ ...r, owner: replicaId, epoch: (r.epoch ?? 0) + 1 }));
    });
  }

  getJob(jobId: string): Promise<Job | undefined> {
    return settled(() => {
      const row = this.stmts.getJob.get(jobId) as JobRow | undefined;
      return row ? jobFromRow(row) : undefined;
    });
  }

  jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId?: string): Promise<string | undefined> {
    return settled(() => {
      const history = this.historyForPoll(jobId, vnfmId);
      if (!history) return undefined;
      const answer = jobDescriptorJson(jobId, history.entries, history.rendered, afterResponseId);
      // NSLCM stops polling a job once it has read its end: the history leaves the cache with that answer.
      if (isFinal(history.entries[0].status)) this.histories.delete(jobId);
      return answer;
    });
  }

  history(jobId: string): Promise<JobEntry[]> {
    return settled(() => {
      return (this.stmts.history.all(jobId) as EntryRow[]).map(entryFromRow);
    });
  }

  unfinishedJobs(): Promise<Job[]> {
    return settled(() => {
      return (this.stmts.unfinished.all() as JobRow[]).map(jobFromRow);
    });
  }

  getVnf(vnfInstanceId: string): Promise<VnfRecord | undefined> {
    return settled(() => {
      return this.readVnf(vnfInstanceId);
    });
  }

  updateVnf(vnfInstanceId: string, patch: VnfPatch, fence?: JobFence & { jobId: string }): Promise<VnfRecord> {
    return this.group.writeOne(
      () => {
        const current = this.readVnf(vnfInstanceId);
        if (current) {
          this.noteVnfWrite(vnfInstanceId);
          const next: VnfRecord = { ...current, ...patch, updatedAt: new Date().toISOString() };
          const row = vnfToRow(next);
          const fenced = { fenceJob: fence?.jobId ?? null, fenceOwner: fence?.replicaId ?? null, fenceEpoch: fence?.epoch ?? null };
          // The fence is checked by the UPDATE itself; only a refused one reads the job to say whose it is.
          if (this.stmts.updateVnf.run({ ...row, ...fenced }).changes > 0) return detachedFromPatch(next, row, patch);
        }
        if (fence) this.checkFenceOf(fence.jobId, fence);
        throw new VnfNotFoundError(vnfInstanceId);
      },
      (updated) => this.vnfs.set(updated),
    );
  }

  findByDeployment(tenant: string, deployment: string): Promise<VnfRecord | undefined> {
    return settled(() => {
      const vnfInstanceId = this.stmts.vnfIdByDeployment.get(tenant, deployment) as string | undefined;
      return vnfInstanceId === undefined ? undefined : this.readVnf(vnfInstanceId);
    });
  }

  vnfsWithDeployment(): Promise<VnfRecord[]> {
    return settled(() => (this.stmts.vnfsWithDeployment.all() as VnfRow[]).map(vnfFromRow));
  }

  /** The SQLite handle, for components keeping their own tables in the same file (the Notify outbox). */
  get database(): Db {
    return this.db;
  }

  ping(): Promise<void> {
    return settled(() => {
      this.stmts.ping.get();
    });
  }

  /**
   * Closes the connection. Being the last one open on the file, it copies the whole write-ahead log into the
   * database file and removes it. A second call does nothing.
   */
  close(): Promise<void> {
    return settled(() => {
      if (this.db.open) this.group.flush();
      this.histories.clear();
      this.vnfs.clear();
      if (this.db.open) this.db.close();
      this.lock?.release();
    });
  }

  listJobs(query: JobQuery): Promise<Page<JobSummary>> {
    return settled(() => {
      const params = {
        vnfmId: query.vnfmId,
        statuses: jsonList(query.statuses),
        operations: jsonList(query.operations),
        limit: query.limit + 1,
      };
      const rows = (
        query.cursor === undefined
          ? this.stmts.listJobs.all(params)
          : this.stmts.listJobsAfter.all({ ...params, ...decodeCursor(query.cursor) })
      ) as JobRow[];
      return pageOf(rows, query.limit, jobSummaryFromRow, (r) => ({ createdAt: r.created_at, id: r.job_id }));
    });
  }

  listVnfs(query: VnfQuery): Promise<Page<VnfRecord>> {
    return settled(() => {
      const params = { vnfmId: query.vnfmId, statuses: jsonList(query.statuses), limit: query.limit + 1 };
      const rows = (
        query.cursor === undefined
          ? this.stmts.listVnfs.all(params)
          : this.stmts.listVnfsAfter.all({ ...params, ...decodeCursor(query.cursor) })
      ) as VnfRow[];
      return pageOf(rows, query.limit, vnfFromRow, (r) => ({ createdAt: r.created_at, id: r.vnf_instance_id }));
    });
  }

  /** True inside a transaction of the caller's own (not a group of ours): what is written there may be rolled back. */
  private inCallerTransaction(): boolean {
    return this.db.inTransaction && !this.group.pending;
  }

  /** The job's history for a poll; undefined when unknown, or when `vnfmId` is given and the job is another VNFM's. */
  private historyForPoll(jobId: string, vnfmId: string | undefined): CachedHistory | undefined {
    const history = this.readHistory(jobId);
    return history && (vnfmId === undefined || history.vnfmId === vnfmId) ? history : undefined;
  }

  /** Throws {@link FencedWriteError} unless the job (when it exists) is owned by the fence's replica at its epoch. */
  private checkFenceOf(jobId: string, fence: JobFence): void {
    const head = this.stmts.jobHead.get(jobId) as { owner: string | null; epoch: number } | undefined;
    if (head) checkFence(jobId, head, fence);
  }

  /**
   * A VNF as this connection sees it: the cached record, unless the open group (or a caller's transaction) has
   * written the VNF, whose row is then read. A row read while no write of it is pending is committed: it is cached.
   */
  private readVnf(vnfInstanceId: string): VnfRecord | undefined {
    const committed = !this.inCallerTransaction() && !this.writtenByOpenGroup().has(vnfInstanceId);
    const held = committed ? this.vnfs.get(vnfInstanceId) : undefined;
    if (held) return held;
    const row = this.stmts.getVnf.get(vnfInstanceId) as VnfRow | undefined;
    if (!row) return undefined;
    const vnf = vnfFromRow(row);
    if (committed) this.vnfs.set(vnf);
    return vnf;
  }

  /** Called before writing a VNF's row: until that write is committed, the VNF is read from the database. */
  private noteVnfWrite(vnfInstanceId: string): void {
    // A caller's transaction ends out of sight (no afterCommit runs): the record held is dropped instead.
    if (this.inCallerTransaction()) this.vnfs.delete(vnfInstanceId);
    else this.writtenByOpenGroup().add(vnfInstanceId);
  }

  /** The VNFs written by the open group (emptied once a group has ended, committed or rolled back). */
  private writtenByOpenGroup(): Set<string> {
    if (this.writtenIn !== this.group.generation) {
      this.written.clear();
      this.writtenIn = this.group.generation;
    }
    return this.written;
  }

  /** A job's whole history, newest first, from the cache or else from the database; undefined when unknown. */
  private readHistory(jobId: string): CachedHistory | undefined {
    const held = this.histories.get(jobId);
    if (held) return held;
    // What is read for the cache must be committed: the open group (if any) is committed first.
    this.group.flush();
    const job = this.stmts.vnfmOfJob.get(jobId) as { vnfm_id: string } | undefined;
    if (!job) return undefined;
    const rows = this.stmts.historyNewestFirst.all(jobId) as HistoryTuple[];
    if (rows.length === 0) return undefined;
    const entries = rows.map(entryFromTuple);
    // Rows read inside a caller's transaction may not be committed, and an ended job is polled no more: answer with
    // them, keep nothing.
    if (this.db.inTransaction || isFinal(entries[0].status))
      return { vnfmId: job.vnfm_id, entries, rendered: entries.map(renderEntryJson) };
    return this.histories.set(jobId, job.vnfm_id, entries);
  }
}

/**
 * `next` (an updated record) sharing nothing with the caller's `patch`: what the patch brought in as objects is
 * taken from the row's JSON instead. The rest is the previous record's, which nobody changes.
 */
function detachedFromPatch(next: VnfRecord, row: VnfRow, patch: VnfPatch): VnfRecord {
  const detached: VnfRecord = { ...next };
  if (patch.attributes) detached.attributes = JSON.parse(row.attributes) as VnfRecord['attributes'];
  if (patch.vimId) detached.vimId = JSON.parse(row.vim_id!) as VnfRecord['vimId'];
  return detached;
}

/** A filter's values as a JSON array for `json_each`, or null (no filter) when none are given. */
function jsonList(values: readonly string[] | undefined): string | null {
  return values && values.length > 0 ? JSON.stringify(values) : null;
}

/** Newest first within one VNFM, along the (vnfm, created_at, id) index; filters are JSON arrays or null. */
const LIST_JOBS = `SELECT * FROM jobs INDEXED BY jobs_vnfm_created WHERE vnfm_id = @vnfmId
  AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@operations IS NULL OR operation IN (SELECT value FROM json_each(@operations)))`;
const LIST_VNFS = `SELECT * FROM vnf_instances INDEXED BY vnf_instances_vnfm_created WHERE vnfm_id = @vnfmId
  AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))`;

function prepareStatements(db: Db) {
  return {
    runningJobOfVnf: db.prepare("SELECT job_id FROM jobs WHERE vnf_instance_id = ? AND status IN ('started', 'processing') LIMIT 1"),
    insertVnf: db.prepare(`INSERT INTO vnf_instances VALUES (@vnf_instance_id, @vnfm_id, @name, @description, @vnfd_id,
      @vnf_package_id, @esc_tenant, @esc_deployment, @vim_id, @status, @attributes, @created_at, @updated_at)`),
    updateVnf: db.prepare(`UPDATE vnf_instances SET esc_tenant = @esc_tenant, esc_deployment = @esc_deployment,
      vim_id = @vim_id, status = @status, attributes = @attributes, updated_at = @updated_at
      WHERE vnf_instance_id = @vnf_instance_id AND (@fenceJob IS NULL OR NOT EXISTS (SELECT 1 FROM jobs
        WHERE job_id = @fenceJob AND (owner IS NOT @fenceOwner OR epoch IS NOT @fenceEpoch)))`),
    getVnf: db.prepare('SELECT * FROM vnf_instances WHERE vnf_instance_id = ?'),
    vnfsWithDeployment: db.prepare(
      "SELECT * FROM vnf_instances WHERE esc_deployment IS NOT NULL AND status <> 'TERMINATED' ORDER BY created_at, vnf_instance_id",
    ),
    vnfIdByDeployment: db
      .prepare('SELECT vnf_instance_id FROM vnf_instances WHERE esc_tenant = ? AND esc_deployment = ? ORDER BY created_at DESC LIMIT 1')
      .pluck(),
    insertJob: db.prepare(`INSERT INTO jobs (job_id, operation, vnf_instance_id, vnfm_id, request, request_id, status, progress,
      status_description, error_code, response_id, state, created_at, updated_at, owner, epoch, lease_expires_at)
      VALUES (@job_id, @operation, @vnf_instance_id, @vnfm_id, @request, @request_id, @status, @progress, @status_description,
      @error_code, @response_id, @state, @created_at, @updated_at, @owner, @epoch, @lease_expires_at)`),
    insertEntry: db.prepare(`INSERT INTO job_history (job_id, ${ENTRY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    updateJobLatest: db.prepare(`UPDATE jobs SET status = ?, progress = ?, status_description = ?, error_code = ?,
      response_id = ?, updated_at = ? WHERE job_id = ?`),
    saveState: db.prepare(`UPDATE jobs SET state = @state, updated_at = @at WHERE job_id = @jobId
      AND (@owner IS NULL OR (owner = @owner AND epoch = @epoch))`),
    getJob: db.prepare('SELECT * FROM jobs WHERE job_id = ?'),
    vnfmOfJob: db.prepare('SELECT vnfm_id FROM jobs WHERE job_id = ?'),
    jobHead: db.prepare('SELECT status, response_id, owner, epoch FROM jobs WHERE job_id = ?'),
    updateJobProgress: db.prepare(`UPDATE jobs SET progress = ?, status_description = ?, error_code = ?, response_id = ?,
      updated_at = ? WHERE job_id = ?`),
    historyNewestFirst: db.prepare(HISTORY_NEWEST_FIRST_SQL).raw(true),
    history: db.prepare(`SELECT ${ENTRY_COLS} FROM job_history WHERE job_id = ? ORDER BY response_id`),
    unfinished: db.prepare("SELECT * FROM jobs WHERE status IN ('started', 'processing') ORDER BY created_at, job_id"),
    renewLeases: db.prepare(`UPDATE jobs SET lease_expires_at = @until WHERE owner = @owner AND status IN ('started', 'processing')
      AND (@ids IS NULL OR job_id IN (SELECT value FROM json_each(@ids))) RETURNING job_id`),
    orphans: db.prepare(`SELECT * FROM jobs WHERE status IN ('started', 'processing')
      AND (owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at < @now OR owner = @adopt)
      AND job_id NOT IN (SELECT value FROM json_each(@exclude))
      ORDER BY created_at, job_id LIMIT @limit`),
    claim: db.prepare('UPDATE jobs SET owner = ?, epoch = epoch + 1, lease_expires_at = ? WHERE job_id = ?'),
    ping: db.prepare('SELECT 1 AS ok'),
    listJobs: db.prepare(`${LIST_JOBS} ORDER BY created_at DESC, job_id DESC LIMIT @limit`),
    listJobsAfter: db.prepare(
      `${LIST_JOBS} AND (created_at, job_id) < (@createdAt, @id) ORDER BY created_at DESC, job_id DESC LIMIT @limit`,
    ),
    listVnfs: db.prepare(`${LIST_VNFS} ORDER BY created_at DESC, vnf_instance_id DESC LIMIT @limit`),
    listVnfsAfter: db.prepare(
      `${LIST_VNFS} AND (created_at, vnf_instance_id) < (@createdAt, @id) ORDER BY created_at DESC, vnf_instance_id DESC LIMIT @limit`,
    ),
  };
}
