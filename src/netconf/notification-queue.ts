import { NetconfError } from './errors';
import type { NetconfNotification } from './reply-parser';

/** Default number of undelivered notifications an iterator holds before it fails. */
export const DEFAULT_NOTIFICATION_BUFFER = 100_000;

/**
 * An async iterator over notifications in arrival order. It buffers up to `limit` undelivered items;
 * beyond that the consumer is too slow and the iterator fails with a 'PROTOCOL' error rather than
 * growing without bound. It ends when `finish()` is called (session closed).
 */
export class NotificationQueue implements AsyncIterableIterator<NetconfNotification> {
  private readonly items: NetconfNotification[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<NetconfNotification>) => void; reject: (e: Error) => void } | undefined;
  private done = false;
  private failure: Error | undefined;

  constructor(
    private readonly limit = DEFAULT_NOTIFICATION_BUFFER,
    private readonly onReturn?: () => void,
  ) {}

  /** Adds one notification (or hands it to a waiting consumer). */
  push(n: NetconfNotification): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: n, done: false });
      return;
    }
    if (this.items.length - this.head >= this.limit) {
      this.finish(new NetconfError('PROTOCOL', `notification consumer too slow: more than ${this.limit} undelivered`));
      return;
    }
    this.items.push(n);
  }

  /** Ends the iteration; pending items are still delivered first, then `err` (if any) is thrown. */
  finish(err?: Error): void {
    if (this.done) return;
    this.done = true;
    this.failure = err;
    if (this.waiter && this.head >= this.items.length) {
      const w = this.waiter;
      this.waiter = undefined;
      if (err) w.reject(err);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<NetconfNotification>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++];
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) {
      const err = this.failure;
      this.failure = undefined;
      return err ? Promise.reject(err) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<NetconfNotification>> {
    this.finish();
    this.items.length = 0;
    this.head = 0;
    this.onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<NetconfNotification> {
    return this;
  }
}
