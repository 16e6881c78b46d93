import { settledWithin } from '../async/settled-within';
import type { Job } from '../jobs/job-model';
import type { JobStore } from '../jobs/job-store';
import type { Log } from '../logging/log';

/** Settings of {@link JobOwnership}. Durations in ms. */
export interface OwnershipSettings {
  /** This replica's id: owner of the jobs it creates or claims. */
  replicaId: string;
  /** How long a lease lasts without renewal (database clock). */
  leaseTtlMs: number;
  /** Pause between two passes (renew, then claim). */
  renewEveryMs: number;
  /** Most orphans claimed in one pass (default 20). */
  claimLimit?: number;
}

/** What the ownership loop drives: the jobs this replica runs. */
export interface OwnedJobs {
  /** Ids of the jobs running here now. */
  running(): string[];
  /** Starts claimed jobs through the resume path (checkpoint + ESC reconcile). */
  resume(jobs: Job[]): void;
  /** Stops jobs this replica no longer owns, without writing anything for them. */
  abandon(jobIds: string[], reason: string): void;
}

/**
 * Keeps this replica's hold on its jobs and takes over those of replicas that died or froze. Each pass renews,
 * in one statement, the lease of every job this replica owns and runs, then claims jobs whose lease ran out and resumes
 * them. A job running here that the renewal no longer names was claimed by another replica: it is stopped. When
 * no renewal succeeded for a whole lease (the database unreachable, this process frozen), every job running here
 * is stopped without writing: by then another replica may own them. Each store call is bounded by the time left
 * in the lease; one pass at a time; `stop()` ends the loop and waits (boundedly) for the pass in progress.
 */
export class JobOwnership {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = false;
  /** Local time at which the last successful renewal was sent: the leases last at least until then + TTL. */
  private heldSince = Date.now();

  constructor(
    private readonly store: Pick<JobStore, 'renewLeases' | 'claimOrphans'>,
    private readonly jobs: OwnedJobs,
    private readonly settings: OwnershipSettings,
    private readonly log: Log,
  ) {}

  /**
   * Start-up: claims every orphan (jobs whose lease ran out, and those this replica id owned in a previous process)
   * and resumes them; then starts the loop. Answers how many were resumed.
   */
  async start(): Promise<number> {
    let resumed = 0;
    const limit = this.settings.claimLimit ?? 20;
    for (;;) {
      const claimed = await this.store.claimOrphans(this.settings.replicaId, this.settings.leaseTtlMs, limit, { adoptOwn: true });
      this.resume(claimed);
      resumed += claimed.length;
      if (claimed.length < limit || this.stopped) break;
    }
    this.heldSince = Date.now();
    this.schedule();
    return resumed;
  }

  /**
   * Ends the loop and waits for the pass in progress, no longer than one renewal period: a pass stuck on the
   * database is left behind (it resumes nothing once stopped, and the store is closed next).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.pass) await settledWithin(this.pass, this.settings.renewEveryMs);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.runPass().finally(() => {
        this.pass = undefined;
        this.schedule();
      });
    }, this.settings.renewEveryMs);
    this.timer.unref();
  }

  private async runPass(): Promise<void> {
    const { replicaId, leaseTtlMs } = this.settings;
    const sentAt = Date.now();
    // Frozen or starved for a whole lease since the last renewal was sent: another replica may own these jobs now.
    // They stop before this pass waits for the database, so that none of them acts on ESC in the meantime.
    const sinceRenewal = sentAt - this.heldSince;
    if (sinceRenewal >= leaseTtlMs && this.jobs.running().length > 0) {
      this.jobs.abandon(this.jobs.running(), `lease ran out here: last renewal sent ${sinceRenewal} ms ago (TTL ${leaseTtlMs} ms)`);
    }
    const running = this.jobs.running();
    try {
      // Only the jobs running here: one this replica owns but stopped (abandoned while the database was away) runs
      // out and is claimed again, rather than kept by renewals that nobody works for.
      const held = new Set(await this.bounded(this.store.renewLeases(replicaId, leaseTtlMs, running), sentAt));
      this.heldSince = sentAt;
      const lost = running.filter((id) => !held.has(id));
      if (lost.length > 0) this.jobs.abandon(lost, 'another replica owns the job now');
    } catch (err) {
      const heldFor = Date.now() - this.heldSince;
      this.log.warn('job leases not renewed', { replicaId, error: (err as Error).message, sinceLastRenewalMs: heldFor });
      if (heldFor >= leaseTtlMs) {
        const running = this.jobs.running();
        if (running.length > 0) this.jobs.abandon(running, `leases not renewed for ${heldFor} ms (TTL ${leaseTtlMs} ms)`);
      }
      return;
    }
    if (this.stopped) return;
    try {
      // A job running here is no orphan, even when its lease ran out between two renewals: it is not taken again.
      const exclude = this.jobs.running();
      const claimed = await this.bounded(
        this.store.claimOrphans(replicaId, leaseTtlMs, this.settings.claimLimit ?? 20, { exclude }),
        Date.now(),
      );
      if (claimed.length > 0) this.log.info('jobs of another replica taken over', { replicaId, jobIds: claimed.map((j) => j.jobId) });
      this.resume(claimed);
    } catch (err) {
      this.log.warn('orphaned jobs not claimed; the next pass tries again', { replicaId, error: (err as Error).message });
    }
  }

  private resume(jobs: Job[]): void {
    if (jobs.length > 0 && !this.stopped) this.jobs.resume(jobs);
  }

  /** Waits for a store call no longer than what is left of the lease (at least one renewal period). */
  private bounded<T>(call: Promise<T>, from: number): Promise<T> {
    const leftMs = Math.max(this.settings.renewEveryMs, this.heldSince + this.settings.leaseTtlMs - from);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`store did not answer within ${leftMs} ms`)), leftMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}
