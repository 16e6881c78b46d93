/**
 * Turns for background job work, so that it cannot hold the event loop for long stretches.
 *
 * Many jobs resume at once (a burst of ESC events, RPC replies or grant answers for many VNFs arriving in one
 * read) and each continuation runs synchronously until its next I/O; left alone, they all run back to back
 * before the loop reads the next request, and a job-status poll waits behind hundreds of them. Work that waits
 * for its turn here runs in arrival order, at most `perIteration` turns per event-loop iteration, each turn
 * (with the promise continuations it triggers) finished before the next starts; requests, replies and events
 * are read between iterations. Nothing is kept here but the order of waiting callers: it changes when work
 * runs, never what it does.
 */
export class WorkTurns {
  private queue: Array<() => void> = [];
  private head = 0;
  /** setImmediate callbacks of ours not yet run. */
  private scheduled = 0;

  constructor(private readonly perIteration = 1) {}

  /** Resolves when it is the caller's turn. */
  next(): Promise<void> {
    return new Promise((resolve) => this.run(resolve));
  }

  /** Runs `task` in its turn. A task that throws does not stop the others (the error is reported as uncaught). */
  run(task: () => void): void {
    this.queue.push(task);
    this.arm();
  }

  /** Tasks waiting for their turn. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /**
   * One callback per waiting task, up to `perIteration`: callbacks queued outside the check phase all run in
   * the coming one, each followed by its microtasks; those queued while it runs wait for the next iteration.
   */
  private arm(): void {
    while (this.scheduled < this.perIteration && this.scheduled < this.waiting) {
      this.scheduled++;
      setImmediate(this.turn);
    }
  }

  private readonly turn = (): void => {
    this.scheduled--;
    const task = this.take();
    this.arm();
    task?.();
  };

  private take(): (() => void) | undefined {
    if (this.head >= this.queue.length) return undefined;
    const task = this.queue[this.head++]!;
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return task;
  }
}

/** The turns every job's background work takes (one event loop, one queue). */
export const jobWorkTurns = new WorkTurns();
