/** Delivery state of a stored VES event. */
export type VesOutboxState = 'pending' | 'delivered' | 'failed';

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

/** Row counts per state and the creation time of the oldest pending row. */
export interface VesOutboxCounts {
  pending: number;
  delivered: number;
  failed: number;
  oldestPendingAt?: number;
}

/**
 * Where the VES outbox keeps its events (SqliteVesOutboxStore in the driver's SQLite file). Every method returns a
 * Promise, so that a networked database can implement it; each write is durable once it resolves. Times are epoch ms.
 */
export interface VesOutboxStore {
  /** Stores a pending event due at `now`, giving it the next sequence of its sourceName (1, 2, …) in the same write. */
  insert(row: NewVesOutboxRow, now: number): Promise<VesOutboxRow>;
  /**
   * The oldest pending event of each sourceName (the only one of that source that may be sent), due at `now`,
   * skipping sources in `busy`, earliest due first, at most `limit`.
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
