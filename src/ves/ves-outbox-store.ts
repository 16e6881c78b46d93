import type { OutboxRowCounts, OutboxRowState } from '../store/outbox-row-states';

/** Delivery state of a stored VES event. */
export type VesOutboxState = OutboxRowState;

/** What is stored of a new event: its JSON without the sequence, which the store assigns. */
export interface NewVesOutboxRow {
  sourceName: string;
  eventId: string;
  /** JSON text of the VES event; its `commonEventHeader.sequence` is the row's `sequence` when sent. */
  body: string;
}

/** One stored VES event. */
export interface VesOutboxRow extends NewVesOutboxRow {
  id: number;
  /** Position among the events of its sourceName, from 1, assigned when stored. */
  sequence: number;
  state: VesOutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  settledAt: number | null;
}

/**
 * A fault event's alarm: raised (severity above NORMAL) or cleared (NORMAL) for one alarmCondition of one source.
 * The store keeps the active alarms, one per (sourceName, alarmCondition), with their severity.
 */
export interface AlarmChange {
  alarmCondition: string;
  /** VES eventSeverity; `NORMAL` clears the alarm. */
  severity: string;
}

/** Row counts per state and the creation time of the oldest pending row. */
export type VesOutboxCounts = OutboxRowCounts;

/**
 * Where the VES outbox keeps its events (SqliteVesOutboxStore in the driver's SQLite file, PostgresVesOutboxStore
 * shared by replicas). Every method returns a Promise, so that a networked database can implement it; each write is
 * durable once it resolves. Times are epoch ms.
 */
export interface VesOutboxStore {
  /** Stores a pending event due at `now`, giving it the next sequence of its sourceName (1, 2, …) in the same write. */
  insert(row: NewVesOutboxRow, now: number): Promise<VesOutboxRow>;
  /**
   * Stores a fault event only when it changes the active alarms, deciding and storing in one atomic write: a raise
   * when the alarm is not active at that severity (it becomes active at it), a clear (NORMAL) when the alarm is
   * active (it is removed). Resolves to the stored row, or undefined when the event changes nothing and was not
   * stored. A store shared by replicas lets one of two writers deciding the same change at once store it.
   */
  insertAlarmChange(row: NewVesOutboxRow, alarm: AlarmChange, now: number): Promise<VesOutboxRow | undefined>;
  /** The alarmConditions active on `sourceName`, in name order. */
  activeAlarms(sourceName: string): Promise<string[]>;
  /**
   * The oldest pending event of each sourceName (the only one of that source that may be sent), due at `now`,
   * skipping sources in `busy`, earliest due first, at most `limit`. A store shared by replicas hands each to one of
   * them at a time (until it is marked, or its claim runs out).
   */
  dueHeads(now: number, busy: ReadonlySet<string>, limit: number): Promise<VesOutboxRow[]>;
  /** Earliest due time among the heads of sources not in `busy`, or undefined when nothing is pending. */
  nextDueAt(busy: ReadonlySet<string>): Promise<number | undefined>;
  /** Records events the collector accepted. */
  markDelivered(ids: readonly number[], now: number): Promise<void>;
  /** Records a failed attempt to be retried at `nextAttemptAt`. */
  markRetry(id: number, error: string, nextAttemptAt: number): Promise<void>;
  /** Records an event dropped for good (the collector refused it); the source's next event becomes sendable. */
  markFailed(id: number, error: string, now: number): Promise<void>;
  counts(): Promise<VesOutboxCounts>;
  /** Deletes delivered and failed rows settled before `before` (sequences are kept); resolves to how many. */
  purgeSettled(before: number): Promise<number>;
}
