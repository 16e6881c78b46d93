import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DeliveryLoop } from '../async/delivery-loop';
import { settledWithin } from '../async/settled-within';
import type { Schedule } from '../async/turn-scheduler';
import type { JobFence } from '../jobs/job-store';
import type { Log } from '../logging/log';
import { silentLog } from '../logging/log';
import type { OutboxRowCounts } from '../store/outbox-row-states';
import { runTraced } from '../tracing/trace-context';
import { applyNotifyDialect, type EnumDialect } from './enum-dialect';
import { isPermanentStatus, NslcmError } from './nslcm-errors';
import type { NotifyBody } from './nslcm-types';
import type { NewOutboxRow, OutboxRow } from './notify-outbox-store';
import { backoffDelay } from './retry-policy';

/** Something that posts one Notify once (no retries of its own); an NslcmClient fits. */
export interface NotifySender {
  notify(vnfmId: string, vnfInstanceId: string, body: NotifyBody, opts: { signal?: AbortSignal; noRetry?: boolean }): Promise<void>;
}

/** A Notify to deliver. `body` uses uppercase enums; the configured dialect is applied when sending. */
export interface OutboxMessage {
  vnfmId: string;
  vnfInstanceId: string;
  jobId: string;
  status: 'START' | 'RESULT';
  operation: string;
  body: NotifyBody;
  /**
   * The change's own deterministic id, when it has one (ESC-initiated changes): a message with an id already stored
   * is not stored again, so replicas that all hear of the same change queue one Notify.
   */
  changeId?: string;
  /** The job's fence: stored only while the job's owner and epoch are these, else {@link FencedWriteError}. */
  fence?: JobFence;
}

/** Counters the outbox feeds (structural: the prom-client `Metrics` of `src/metrics` fits). */
export interface NotifyOutboxMetrics {
  /** +1 each time a failed delivery is scheduled for another attempt. */
  notifyRetries: { inc(): void };
}

/** Row counts per state and the creation time of the oldest pending row. */
export type OutboxCounts = OutboxRowCounts;

/**
 * Where the outbox keeps its messages (SqliteNotifyOutboxStore in the driver's SQLite file). Every method
 * returns a Promise, so that a networked database can implement it; each write is durable once it resolves.
 */
export interface NotifyOutboxStore {
  /**
   * Inserts unless (jobId, status), or the row's changeId, exists; resolves to the (stored) row and whether it was new.
   * With a fence, the job's owner and epoch are checked in the same transaction (FencedWriteError when they differ).
   */
  insert(row: NewOutboxRow, now: number): Promise<{ inserted: boolean; row: OutboxRow }>;
  /** The row of (jobId, status), if any. */
  find(jobId: string, status: string): Promise<OutboxRow | undefined>;
  /**
   * The oldest pending row of each VNF (the only one that may be sent), due at `now`, skipping VNFs in
   * `busy`, earliest first, at most `limit`. A store shared by replicas hands each row to one of them at a time
   * (until it is marked, or its claim runs out).
   */
  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<OutboxRow[]>;
  /** Earliest `next_attempt_at` among queue heads of VNFs not in `busy`, or undefined when none. */
  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined>;
  /** Records an acknowledged delivery. */
  markDelivered(id: number, now: number): Promise<void>;
  /** Records a failed attempt to be retried at `nextAttemptAt`. */
  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void>;
  /** Records a permanent failure; the VNF's next message becomes sendable. */
  markFailed(id: number, error: string, now: number): Promise<void>;
  counts(): Promise<OutboxCounts>;
  /**
   * Deletes delivered/failed rows settled before `before`; resolves to how many. After that, enqueueing the same
   * job and status again would send it again, so keep the retention longer than any job can be re-reported.
   */
  purgeSettled(before: number): Promise<number>;
}

/** Settings of the outbox. Durations in ms. */
export interface NotifyOutboxOptions {
  store: NotifyOutboxStore;
  sender: NotifySender;
  dialect?: EnumDialect;
  /** VNFs served at the same time (default 4). */
  concurrency?: number;
  /** First retry delay (default 1 000) and cap (default 60 000). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest sleep of the loop when nothing is due, to notice rows written by others (default 5 000). */
  idlePollMs?: number;
  /** How long stop() waits for sends in flight before aborting them (default 5 000). */
  stopTimeoutMs?: number;
  /** Counts retries (`nslcm_notify_retries_total`). */
  metrics?: NotifyOutboxMetrics;
  log?: Log;
  now?: () => number;
  random?: () => number;
  /** The ONAP request id of a job, sent with its Notify messages (a new one when unknown, e.g. ESC-initiated changes). */
  requestIdOf?: (jobId: string) => Promise<string | undefined>;
  /**
   * The service's turns (src/async/turn-scheduler.ts): each pass of the delivery loop runs in its turn, so that
   * a pass never lengthens the event-loop iteration that serves requests. Default: at once.
   */
  schedule?: Schedule;
  /** Masks secrets in each body before it is stored (hence sent) and in each failure text stored; default: as given. */
  redact?: (text: string) => string;
}

/** Metrics view of the outbox. */
export interface OutboxStats {
  pending: number;
  delivered: number;
  failed: number;
  inFlight: number;
  /** Age of the oldest undelivered message, ms (0 when none). */
  oldestPendingAgeMs: number;
}

/**
 * Durable Notify outbox: messages live in its store until NSLCM acknowledges them (2xx). Each VNF's messages
 * go strictly in order (the next waits for the previous to be acknowledged or to fail permanently);
 * different VNFs are served in parallel. Failed sends are retried with capped exponential backoff + jitter,
 * across restarts. A (jobId, status) pair is stored once, so an acknowledged message is never sent again.
 */
export class NotifyOutbox {
  private readonly store: NotifyOutboxStore;
  private readonly events = new EventEmitter();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Map<number, { done: Promise<void>; abort: AbortController }>();
  private readonly log: Log;
  private readonly now: () => number;
  private readonly redact: (text: string) => string;
  private readonly loop: DeliveryLoop;

  constructor(private readonly opts: NotifyOutboxOptions) {
    this.store = opts.store;
    this.log = (opts.log ?? silentLog).child({ component: 'notify-outbox' });
    this.now = opts.now ?? Date.now;
    this.redact = opts.redact ?? ((text) => text);
    this.events.setMaxListeners(0);
    this.loop = new DeliveryLoop(() => this.pass(), {
      schedule: opts.schedule,
      idlePollMs: opts.idlePollMs ?? 5_000,
      stopTimeoutMs: opts.stopTimeoutMs ?? 5_000,
      onError: (err) => this.log.error('Notify outbox loop failed; retrying', { error: (err as Error).message }),
    });
  }

  /** Stores a Notify unless the same (jobId, status) is already stored; wakes the loop once it is stored. */
  async enqueue(msg: OutboxMessage): Promise<{ id: number; inserted: boolean; jobId: string }> {
    const { inserted, row } = await this.store.insert({ ...msg, body: this.redact(JSON.stringify(msg.body)) }, this.now());
    if (!inserted) this.log.debug('Notify already queued', { jobId: msg.jobId, status: msg.status, state: row.state, as: row.jobId });
    this.kick();
    return { id: row.id, inserted, jobId: row.jobId };
  }

  /** Starts the delivery loop (idempotent). */
  start(): void {
    this.loop.start();
  }

  /** Wakes the loop now (e.g. after an enqueue by someone else). */
  kick(): void {
    this.loop.kick();
  }

  /** Stops the loop; waits up to `stopTimeoutMs` for sends in flight, then aborts them. */
  async stop(): Promise<void> {
    await this.loop.stop();
    const pending = [...this.inFlight.values()];
    if (!pending.length) return;
    const all = Promise.all(pending.map((p) => p.done));
    if (!(await settledWithin(all, this.opts.stopTimeoutMs ?? 5_000))) {
      pending.forEach((p) => p.abort.abort());
      await all;
    }
  }

  /** Messages not yet acknowledged. */
  async depth(): Promise<number> {
    return (await this.store.counts()).pending;
  }

  /** Counts for metrics. */
  async stats(): Promise<OutboxStats> {
    const c = await this.store.counts();
    const age = c.oldestPendingAt === undefined ? 0 : Math.max(0, this.now() - c.oldestPendingAt);
    return { pending: c.pending, delivered: c.delivered, failed: c.failed, inFlight: this.inFlight.size, oldestPendingAgeMs: age };
  }

  /** The stored row of (jobId, status). */
  find(jobId: string, status: 'START' | 'RESULT'): Promise<OutboxRow | undefined> {
    return this.store.find(jobId, status);
  }

  /** Deletes settled rows older than `retentionMs` (see {@link NotifyOutboxStore.purgeSettled}). */
  purgeSettled(retentionMs: number): Promise<number> {
    return this.store.purgeSettled(this.now() - retentionMs);
  }

  /** Resolves when (jobId, status) is acknowledged; rejects when it failed permanently, on timeout or when the store fails. */
  waitForDelivery(jobId: string, status: 'START' | 'RESULT', timeoutMs: number): Promise<OutboxRow> {
    return new Promise((resolve, reject) => {
      let over = false;
      const end = (settle: () => void): void => {
        if (over) return;
        over = true;
        clearTimeout(timer);
        this.events.off('settled', check);
        settle();
      };
      const read = async (): Promise<void> => {
        const row = await this.store.find(jobId, status);
        if (row?.state === 'delivered') end(() => resolve(row));
        else if (row?.state === 'failed') end(() => reject(new Error(`Notify ${jobId}/${status} failed permanently: ${row.lastError}`)));
      };
      const check = (): void => {
        read().catch((err: unknown) => end(() => reject(err instanceof Error ? err : new Error(String(err)))));
      };
      const timer = setTimeout(
        () => end(() => reject(new Error(`Notify ${jobId}/${status} not delivered within ${timeoutMs} ms`))),
        timeoutMs,
      );
      // Listening starts before the first read, so a delivery settled while it is read is not missed.
      this.events.on('settled', check);
      check();
    });
  }

  /** Hands the due heads to free slots; answers when the next head is due. */
  private async pass(): Promise<number | undefined> {
    const concurrency = this.opts.concurrency ?? 4;
    const now = this.now();
    const due = await this.store.dueHeads(now, this.busy, concurrency - this.inFlight.size);
    if (!this.loop.isRunning) return undefined;
    for (const row of due) this.dispatch(row);
    // Every send in flight kicks the loop when it settles: with no slot free, the idle poll is soon enough.
    if (this.inFlight.size >= concurrency) return undefined;
    const next = await this.store.nextDueAt(this.busy);
    // A head already due when this pass claimed was not claimable by it: written since (by this process, whose
    // enqueue kicks the loop, or by another replica, whose own loop sends it) or being claimed by another replica.
    // Looking again at once would only race those for it; the idle poll takes it over if nobody sends it.
    if (next === undefined || next <= now) return undefined;
    return next - this.now();
  }

  private dispatch(row: OutboxRow): void {
    const abort = new AbortController();
    this.busy.add(row.vnfInstanceId);
    const send = async (): Promise<void> => {
      const trace = {
        requestId: (await this.opts.requestIdOf?.(row.jobId)) ?? randomUUID(),
        fields: { jobId: row.jobId, vnfInstanceId: row.vnfInstanceId, vnfmId: row.vnfmId },
      };
      await runTraced(trace, () => this.deliver(row, abort.signal));
    };
    const done = send()
      .catch((err: unknown) => {
        this.log.error('Notify outbox could not record a delivery outcome', { id: row.id, error: String(err) });
      })
      .finally(() => {
        this.busy.delete(row.vnfInstanceId);
        this.inFlight.delete(row.id);
        this.events.emit('settled', row.id);
        this.kick();
      });
    this.inFlight.set(row.id, { done, abort });
  }

  private async deliver(row: OutboxRow, signal: AbortSignal): Promise<void> {
    const meta = { jobId: row.jobId, vnfInstanceId: row.vnfInstanceId, vnfmId: row.vnfmId, status: row.status, attempt: row.attempts + 1 };
    try {
      const body = applyNotifyDialect(JSON.parse(row.body) as NotifyBody, this.opts.dialect ?? 'uppercase');
      await this.opts.sender.notify(row.vnfmId, row.vnfInstanceId, body, { signal, noRetry: true });
    } catch (err) {
      await this.recordFailure(row, err, meta);
      return;
    }
    await this.store.markDelivered(row.id, this.now());
    this.log.info('Notify delivered', meta);
  }

  private async recordFailure(row: OutboxRow, err: unknown, meta: Record<string, unknown>): Promise<void> {
    const message = this.redact(err instanceof Error ? err.message : String(err));
    if (err instanceof NslcmError && err.status !== undefined && isPermanentStatus(err.status)) {
      await this.store.markFailed(row.id, message, this.now());
      this.log.error('Notify rejected by NSLCM; giving up on it', { ...meta, status: err.status, body: err.bodyExcerpt });
      return;
    }
    const delay = backoffDelay(
      row.attempts + 1,
      { initialDelayMs: this.opts.initialBackoffMs ?? 1_000, maxDelayMs: this.opts.maxBackoffMs ?? 60_000, jitter: 0.5 },
      this.opts.random,
    );
    await this.store.markRetry(row.id, message, this.now() + delay);
    this.countRetry();
    this.log.warn('Notify not delivered; will retry', { ...meta, delayMs: delay, error: message });
  }

  private countRetry(): void {
    try {
      this.opts.metrics?.notifyRetries.inc();
    } catch {
      // metrics are best effort
    }
  }
}
