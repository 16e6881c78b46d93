/**
 * The store writes of one job, made one after the other in the order they were asked for, so that an
 * asynchronous store cannot reorder a job's history even when a write is started from an escEvent callback
 * that nobody awaits. A failed write does not stop the ones after it; the first failure is kept for
 * {@link JobWrites.flush}.
 */
export class JobWrites {
  private tail: Promise<void> = Promise.resolve();
  private failure?: { error: unknown };

  /** Runs `write` once every write queued before it has settled; resolves (or rejects) with it. */
  push<T>(write: () => Promise<T>): Promise<T> {
    const done = this.tail.then(write);
    this.tail = done.then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    return done;
  }

  /** Waits for every queued write; rejects with the first one that failed, if any did. */
  async flush(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every queued write, whatever their outcome. */
  drain(): Promise<void> {
    return this.tail;
  }
}
