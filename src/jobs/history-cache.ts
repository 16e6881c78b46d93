import { renderEntryJson, type JobEntry } from './job-model';

/** A job's history as polls need it: its VNFM, entries newest first, each also rendered as JSON text. Never mutated. */
export interface CachedHistory {
  /** The VNFM the job was created under (polls under another are not answered). */
  readonly vnfmId: string;
  readonly entries: readonly JobEntry[];
  readonly rendered: readonly string[];
}

/**
 * Read-through copy of the histories of the most recently created, appended or polled jobs, so that a poll
 * (NSLCM polls every running job every few seconds) does not query SQLite. SQLite stays the only record: the
 * store changes the database first and the cache only after the change has been committed, and a job not
 * held here is read from the database. At most `maxJobs` jobs are held; the oldest insertions go first.
 */
export class HistoryCache {
  private readonly jobs = new Map<string, CachedHistory>();

  constructor(private readonly maxJobs: number) {}

  get(jobId: string): CachedHistory | undefined {
    return this.jobs.get(jobId);
  }

  /** Holds a whole history (newest first), replacing what was held for the job. */
  set(jobId: string, vnfmId: string, newestFirst: readonly JobEntry[]): CachedHistory {
    const history: CachedHistory = { vnfmId, entries: newestFirst, rendered: newestFirst.map(renderEntryJson) };
    if (this.maxJobs <= 0) return history;
    this.jobs.delete(jobId);
    this.jobs.set(jobId, history);
    if (this.jobs.size > this.maxJobs) this.jobs.delete(this.jobs.keys().next().value!);
    return history;
  }

  /** Adds a newly committed latest entry to a job held here; a job not held stays out (read on its next poll). */
  prepend(jobId: string, entry: JobEntry): void {
    const held = this.jobs.get(jobId);
    if (!held) return;
    if (held.entries.length > 0 && held.entries[0].responseId >= entry.responseId) {
      this.jobs.delete(jobId);
      return;
    }
    this.jobs.set(jobId, { vnfmId: held.vnfmId, entries: [entry, ...held.entries], rendered: [renderEntryJson(entry), ...held.rendered] });
  }

  delete(jobId: string): void {
    this.jobs.delete(jobId);
  }

  clear(): void {
    this.jobs.clear();
  }

  get size(): number {
    return this.jobs.size;
  }
}
