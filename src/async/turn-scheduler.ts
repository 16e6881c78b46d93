/** Hands `task` over to be run later, in its turn. */
export type Schedule = (task: () => void) => void;

/** Settings of a {@link TurnScheduler}. */
export interface TurnSchedulerOptions {
  /** Tasks run per event-loop iteration (default 1). */
  perIteration?: number;
  /** Told about a task that threw; the tasks after it still run. */
  onError: (err: unknown) => void;
}

/**
 * Turns for the work that I/O completions start, so that no burst of it holds the event loop for long.
 *
 * Hundreds of operation requests, NSLCM answers or ESC replies and events can arrive in one read; each starts
 * synchronous work (parsing, store writes, the next request) that, left alone, runs back to back with all the
 * others before the loop reads anything else, and a job-status poll then waits behind all of it. Work handed
 * to {@link schedule} runs in arrival order, at most `perIteration` tasks per event-loop iteration, each task
 * (with the promise continuations it triggers) finished before the next starts; requests, replies and events
 * are read between iterations. Only the order of the tasks is kept here: it changes when work runs, never what
 * it does.
 *
 * The service has one, created at its start and handed to the places where work enters from outside (request
 * admission, the NETCONF inbox, the NSLCM HTTP client, the Notify outbox); the work itself never waits for it.
 */
export class TurnScheduler {
  private queue: Array<() => void> = [];
  private head = 0;
  /** setImmediate callbacks of ours not yet run. */
  private armed = 0;
  private readonly perIteration: number;

  constructor(private readonly opts: TurnSchedulerOptions) {
    this.perIteration = Math.max(1, opts.perIteration ?? 1);
  }

  /** Runs `task` in its turn (a {@link Schedule} bound to this scheduler). */
  readonly schedule: Schedule = (task) => {
    this.queue.push(task);
    this.arm();
  };

  /** Tasks waiting for their turn. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /**
   * One callback per waiting task, up to `perIteration`: callbacks queued outside the check phase all run in
   * the coming one, each followed by its microtasks; those queued while it runs wait for the next iteration.
   */
  private arm(): void {
    while (this.armed < this.perIteration && this.armed < this.waiting) {
      this.armed++;
      setImmediate(this.turn);
    }
  }

  private readonly turn = (): void => {
    this.armed--;
    const task = this.take();
    this.arm();
    if (!task) return;
    try {
      task();
    } catch (err) {
      this.opts.onError(err);
    }
  };

  private take(): (() => void) | undefined {
    if (this.head >= this.queue.length) return undefined;
    const task = this.queue[this.head++];
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return task;
  }
}
