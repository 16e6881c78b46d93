import Database from 'better-sqlite3';
import { jobDescriptorJson, renderEntryJson } from './job-model';
import { entryFromTuple, HISTORY_NEWEST_FIRST_SQL, type HistoryTuple } from './sqlite-rows';

/**
 * Answers job-status polls from the store file through a read-only SQLite connection of its own, for a thread
 * other than the one that writes the jobs (src/api/poll-front.ts).
 *
 * The store commits every job change before it is reported anywhere, and in WAL mode a reader sees the last
 * commit without waiting for, or holding up, the writer: what is answered here is exactly what the writing
 * connection has made durable. The file must exist and be in WAL mode (the store opens it so first).
 */
export class JobHistoryReader {
  private readonly historyNewestFirst: Database.Statement<[string], HistoryTuple>;
  private readonly vnfmOfJob: Database.Statement<[string], { vnfm_id: string }>;

  private constructor(private readonly db: Database.Database) {
    this.historyNewestFirst = db.prepare<[string], HistoryTuple>(HISTORY_NEWEST_FIRST_SQL).raw(true);
    this.vnfmOfJob = db.prepare<[string], { vnfm_id: string }>('SELECT vnfm_id FROM jobs WHERE job_id = ?');
  }

  /** Opens `file` read-only. */
  static open(file: string): JobHistoryReader {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 1000');
      return new JobHistoryReader(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * The JSON text of the job descriptor for a poll with `afterResponseId` (the same text the writing store
   * answers), or undefined for a job the store does not hold or, when `vnfmId` is given, that is another VNFM's.
   */
  jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId?: string): string | undefined {
    if (vnfmId !== undefined && this.vnfmOfJob.get(jobId)?.vnfm_id !== vnfmId) return undefined;
    const rows = this.historyNewestFirst.all(jobId);
    if (rows.length === 0) return undefined;
    const entries = rows.map(entryFromTuple);
    return jobDescriptorJson(jobId, entries, entries.map(renderEntryJson), afterResponseId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
