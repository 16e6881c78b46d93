/*
 * The VES publisher handed to the rules that decide which events to send.
 *
 * - `VesOutbox` (this file) implements `VesPublisher` (src/ves/ves-port.ts): `publish(event)` maps the decided event
 *   to VES 7.2.1 JSON, stores it (a fault only when it raises or clears an alarm, see the store's active alarms) in the driver's store (SQLite, or PostgreSQL shared by replicas) and resolves; delivery happens later, in order per sourceName.
 * - It is created by `src/wiring/ves-setup.ts` (`vesFor(config)`) in the composition root (`startService`), only when
 *   VES is on: VES_URL set, or standalone mode (then it posts to the local VES sink). When VES is off there is none.
 * - Reach it as `SouthboundContext.vesPublisher` (what a southbound factory gets, to hand to the rules engine) and as
 *   `RunningService.ves` (undefined when VES is off).
 */
import { randomUUID } from 'node:crypto';
import { jitteredBackoffMs } from '../async/backoff';
import { DeliveryLoop } from '../async/delivery-loop';
import type { Schedule } from '../async/turn-scheduler';
import type { Log } from '../logging/log';
import { silentLog } from '../logging/log';
import { VesDeliveryError } from './ves-collector-client';
import { vesEventProblems } from './ves-event-checks';
import type { VesEvent } from './ves-event-format';
import { toVesEvent } from './ves-event-mapper';
import type { VesOutboxCounts, VesOutboxRow, VesOutboxStore } from './ves-outbox-store';
import type { VesEventRequest, VesPublisher } from './ves-port';

/** Something that posts VES events once (no retries of its own); a VesCollectorClient fits. */
export interface VesPoster {
  post(events: readonly VesEvent[], signal?: AbortSignal): Promise<void>;
}

/** Metrics the outbox feeds (structural: the prom-client `Metrics` of `src/metrics` fits). */
export interface VesOutboxMetrics {
  /** Events the collector accepted. */
  vesSent: { inc(n?: number): void };
  /** Events the collector refused for good (dropped). */
  vesDropped: { inc(n?: number): void };
  /** Events kept for another attempt after a failed POST, by HTTP status (`none` when no answer came). */
  vesRetries: { inc(labels: { status: string }, n?: number): void };
  /** Events stored and not yet accepted nor dropped. */
  vesQueued: { set(n: number): void };
}

/** A decided event cannot become a valid VES event; nothing was stored. */
export class VesEventInvalidError extends Error {
  readonly code = 'VES_EVENT_INVALID';
  constructor(readonly problems: string[]) {
    super(`VES event not valid: ${problems.join('; ')}`);
    this.name = 'VesEventInvalidError';
  }
}

/** Settings of the outbox. Durations in ms. */
export interface VesOutboxOptions {
  store: VesOutboxStore;
  poster: VesPoster;
  /** commonEventHeader.reportingEntityName: the driver's service name. */
  reportingEntityName: string;
  /** Most events in one POST (default 10); one due event goes alone to /eventListener/v7. */
  batchSize?: number;
  /** First retry delay (default 1 000) and cap (default 60 000). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest sleep of the loop when nothing is due (default 5 000). */
  idlePollMs?: number;
  /** How long stop() waits for the POST in flight before aborting it (default 5 000). */
  stopTimeoutMs?: number;
  /** How long accepted and dropped events are kept (default one day). */
  retentionMs?: number;
  metrics?: VesOutboxMetrics;
  log?: Log;
  now?: () => number;
  random?: () => number;
  /** The service's turns (src/async/turn-scheduler.ts): each pass of the loop runs in its turn. Default: at once. */
  schedule?: Schedule;
  /** Masks secrets in each event before it is stored (hence sent) and in each failure text stored. */
  redact?: (text: string) => string;
}

const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Durable VES outbox: events live in its store until the collector accepts them (2xx) or refuses them for good
 * (400 and other 4xx but 401/403/404/408/429: dropped, logged as an error). Only the oldest pending event of each sourceName is sent, so
 * each source's events arrive in order; heads of different sources due together go in one batch. 5xx answers,
 * 401/403/404 (wrong settings, logged as errors), 408/429 and connection failures are retried with jittered exponential backoff, across restarts. One POST at a time.
 */
export class VesOutbox implements VesPublisher {
  private readonly log: Log;
  private readonly now: () => number;
  private readonly redact: (text: string) => string;
  private readonly loop: DeliveryLoop;
  private purgeTimer?: NodeJS.Timeout;

  constructor(private readonly opts: VesOutboxOptions) {
    this.log = (opts.log ?? silentLog).child({ component: 'ves-outbox' });
    this.now = opts.now ?? Date.now;
    this.redact = opts.redact ?? ((text) => text);
    this.loop = new DeliveryLoop((signal) => this.pass(signal), {
      schedule: opts.schedule,
      idlePollMs: opts.idlePollMs ?? 5_000,
      stopTimeoutMs: opts.stopTimeoutMs ?? 5_000,
      onError: (err) => this.log.error('VES outbox loop failed; retrying', { error: (err as Error).message }),
    });
  }

  /**
   * Maps and stores the event (durable when this resolves); the loop sends it later. Invalid → {@link VesEventInvalidError}.
   * A fault is stored only when it changes the active alarms: a raise not already active at its severity, a clear
   * (NORMAL) of an active alarm; otherwise nothing is stored or sent.
   */
  async publish(req: VesEventRequest): Promise<void> {
    const now = this.now();
    const problems = requestProblems(req);
    if (problems.length) throw new VesEventInvalidError(problems);
    const event = toVesEvent(req, {
      eventId: randomUUID(),
      sequence: 0,
      reportingEntityName: this.opts.reportingEntityName,
      reportedAtMs: now,
    });
    const invalid = vesEventProblems(event);
    if (invalid.length) throw new VesEventInvalidError(invalid);
    const stored = { sourceName: req.sourceName, eventId: event.commonEventHeader.eventId, body: this.redact(JSON.stringify(event)) };
    if (req.kind === 'fault') {
      const alarm = { alarmCondition: req.alarmCondition, severity: req.severity };
      const row = await this.opts.store.insertAlarmChange(stored, alarm, now);
      if (!row) {
        const why = req.severity === 'NORMAL' ? 'the alarm is not active' : 'the alarm is already active at this severity';
        this.log.debug(`VES fault not sent: ${why}`, { sourceName: req.sourceName, ...alarm });
        return;
      }
      return this.queued(row);
    }
    return this.queued(await this.opts.store.insert(stored, now));
  }

  activeAlarms(sourceName: string): Promise<string[]> {
    return this.opts.store.activeAlarms(sourceName);
  }

  private async queued(row: VesOutboxRow): Promise<void> {
    this.log.debug('VES event queued', { sourceName: row.sourceName, eventId: row.eventId, sequence: row.sequence });
    this.loop.kick();
    await this.publishDepth();
  }

  /** Starts the delivery loop and the hourly purge of settled events (idempotent). */
  start(): void {
    if (this.loop.isRunning) return;
    this.purge();
    this.purgeTimer = setInterval(() => this.purge(), PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
    this.loop.start();
  }

  /** Stops the loop; waits up to `stopTimeoutMs` for the POST in flight, then aborts it. Stored events stay. */
  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.loop.stop();
  }

  /** Row counts per state. */
  counts(): Promise<VesOutboxCounts> {
    return this.opts.store.counts();
  }

  /** Sends what is due (at most one batch); answers when the next event is due. */
  private async pass(signal: AbortSignal): Promise<number | undefined> {
    const due = await this.opts.store.dueHeads(this.now(), new Set(), Math.max(1, this.opts.batchSize ?? 10));
    if (due.length && this.loop.isRunning) await this.send(due, signal);
    await this.publishDepth();
    if (!this.loop.isRunning) return undefined;
    const next = await this.opts.store.nextDueAt(new Set());
    return next === undefined ? undefined : next - this.now();
  }

  private async send(rows: VesOutboxRow[], signal: AbortSignal): Promise<void> {
    try {
      await this.opts.poster.post(rows.map(eventOf), signal);
    } catch (err) {
      // A refused batch does not say which event is at fault: each is sent alone to find out.
      if (rows.length > 1 && err instanceof VesDeliveryError && err.permanent) {
        for (const row of rows) if (this.loop.isRunning) await this.send([row], signal);
        return;
      }
      await this.recordFailure(rows, err);
      return;
    }
    await this.opts.store.markDelivered(
      rows.map((r) => r.id),
      this.now(),
    );
    this.count('vesSent', rows.length);
    this.log.info('VES events delivered', {
      count: rows.length,
      events: rows.map((r) => ({ sourceName: r.sourceName, eventId: r.eventId, sequence: r.sequence })),
    });
  }

  private async recordFailure(rows: VesOutboxRow[], err: unknown): Promise<void> {
    const message = this.redact(err instanceof Error ? err.message : String(err));
    if (err instanceof VesDeliveryError && err.permanent) {
      const [row] = rows as [VesOutboxRow];
      await this.opts.store.markFailed(row.id, message, this.now());
      this.count('vesDropped', 1);
      this.log.error('VES event refused by the collector; dropped', {
        sourceName: row.sourceName,
        eventId: row.eventId,
        status: err.status,
        body: err.bodyExcerpt ? this.redact(err.bodyExcerpt) : undefined,
      });
      return;
    }
    try {
      const status = err instanceof VesDeliveryError && err.status !== undefined ? String(err.status) : 'none';
      this.opts.metrics?.vesRetries.inc({ status }, rows.length);
    } catch {
      // metrics are best effort
    }
    for (const row of rows) {
      const delay = jitteredBackoffMs(
        row.attempts,
        this.opts.initialBackoffMs ?? 1_000,
        this.opts.maxBackoffMs ?? 60_000,
        0.5,
        this.opts.random,
      );
      await this.opts.store.markRetry(row.id, message, this.now() + delay);
      const fields = { sourceName: row.sourceName, eventId: row.eventId, attempt: row.attempts + 1, delayMs: delay, error: message };
      if (err instanceof VesDeliveryError && err.misconfigured) {
        this.log.error('VES collector refuses the driver (check VES_URL, VES_USER, VES_PASSWORD); event kept, will retry', fields);
      } else {
        this.log.warn('VES event not delivered; will retry', fields);
      }
    }
  }

  private purge(): void {
    this.opts.store.purgeSettled(this.now() - (this.opts.retentionMs ?? 86_400_000)).then(
      (n) => (n ? this.log.debug('settled VES events purged', { count: n }) : undefined),
      (err: Error) => this.log.warn('purging settled VES events failed', { error: err.message }),
    );
  }

  private async publishDepth(): Promise<void> {
    if (!this.opts.metrics) return;
    try {
      this.opts.metrics.vesQueued.set((await this.opts.store.counts()).pending);
    } catch {
      // metrics are best effort (the store may be closing)
    }
  }

  private count(which: 'vesSent' | 'vesDropped', n: number): void {
    try {
      this.opts.metrics?.[which].inc(n);
    } catch {
      // metrics are best effort
    }
  }
}

/** The stored event with its sequence filled in. */
function eventOf(row: VesOutboxRow): VesEvent {
  const event = JSON.parse(row.body) as VesEvent;
  event.commonEventHeader.sequence = row.sequence;
  return event;
}

/** What the VES format cannot catch in a decided event: empty names, a time that is not one, detail values not strings. */
function requestProblems(req: VesEventRequest): string[] {
  const problems: string[] = [];
  if (typeof req.sourceName !== 'string' || req.sourceName.trim() === '') problems.push('sourceName must be a non-empty string');
  if (!Number.isFinite(req.eventTimeMs) || req.eventTimeMs < 0) problems.push('eventTimeMs must be epoch milliseconds');
  if (typeof req.details !== 'object' || req.details === null) problems.push('details must be an object of strings');
  if (req.kind !== 'fault' && req.kind !== 'notification') problems.push('kind must be fault or notification');
  return problems;
}
