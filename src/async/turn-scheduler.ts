/** Hands `task` over to be run later, in its turn. */
export type Schedule = (task: () => void) => void;

/** Settings of a {@link TurnScheduler}. */
export interface TurnSchedulerOptions {
  /** Work tasks (those handed to `schedule`) run per event-loop iteration while requests wait (default 1). */
  perIteration?: number;
  /** Request tasks (those handed to `admit`) run per event-loop iteration (default 8). */
  requestsPerIteration?: number;
  /** Told about a task that threw; the tasks after it still run. */
  onError: (err: unknown) => void;
}

/** Which queue an armed turn serves first. */
type Lane = 'request' | 'work';

/** A FIFO of tasks that does not copy on every take. */
class TaskQueue {
  private items: Array<() => void> = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(task: () => void): void {
    this.items.push(task);
  }

  take(): (() => void) | undefined {
    if (this.head >= this.items.length) return undefined;
    const task = this.items[this.head++];
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return task;
  }
}

/**
 * Turns for the work that I/O completions start, so that no burst of it holds the event loop for long, and so
 * that requests are answered before the job work they start.
 *
 * Hundreds of operation requests, NSLCM answers or ESC replies and events can arrive in one read; each starts
 * synchronous work (parsing, store writes, the next request) that, left alone, runs back to back with all the
 * others before the loop reads anything else, and a job-status poll then waits behind all of it. Tasks run in
 * the check phase of the event loop, each (with the promise continuations it triggers) finished before the next
 * starts; requests, replies and events are read between iterations. There are two lanes, each kept in arrival
 * order:
 * - requests ({@link admit}): up to `requestsPerIteration` per iteration, ahead of any work waiting. An operation
 *   request is answered from a store write or two; NSLCM waits for that answer (its POST and the polls it sends
 *   on the same connections behind it), while job work it starts waits for ESC or NSLCM anyway.
 * - work ({@link schedule}): `perIteration` per iteration; also whatever request turns found no request to run.
 * So one iteration runs a bounded amount of work whatever is queued, and a burst of requests never waits behind
 * the job work that the requests before them started. Only the order of the tasks is kept here: it changes when
 * work runs, never what it does.
 *
 * The service has one, created at its start and handed to the places where work enters from outside (request
 * admission, the NETCONF inbox, the NSLCM HTTP client, the Notify outbox); the work itself never waits for it.
 */
export class TurnScheduler {
  private readonly requests = new TaskQueue();
  private readonly work = new TaskQueue();
  /** setImmediate callbacks of ours not yet run, by the lane they serve first. */
  private readonly armed: Record<Lane, number> = { request: 0, work: 0 };
  private readonly perIteration: Record<Lane, number>;

  constructor(private readonly opts: TurnSchedulerOptions) {
    this.perIteration = {
      request: Math.max(1, opts.requestsPerIteration ?? 8),
      work: Math.max(1, opts.perIteration ?? 1),
    };
  }

  /** Runs the work `task` in its turn (a {@link Schedule} bound to this scheduler). */
  readonly schedule: Schedule = (task) => {
    this.work.push(task);
    this.arm();
  };

  /** Runs the request `task` in its turn, ahead of waiting work (a {@link Schedule} bound to this scheduler). */
  readonly admit: Schedule = (task) => {
    this.requests.push(task);
    this.arm();
  };

  /** Tasks waiting for their turn, in both lanes. */
  get waiting(): number {
    return this.requests.size + this.work.size;
  }

  /**
   * Callbacks for the waiting tasks, up to the lanes' numbers per iteration: callbacks queued outside the check
   * phase all run in the coming one, each followed by its microtasks; those queued while it runs wait for the next
   * iteration.
   */
  private arm(): void {
    this.armLane('request', this.requests.size);
    this.armLane('work', this.work.size);
  }

  private armLane(lane: Lane, waiting: number): void {
    while (this.armed[lane] < this.perIteration[lane] && this.armed[lane] < waiting) {
      this.armed[lane]++;
      setImmediate(lane === 'request' ? this.requestTurn : this.workTurn);
    }
  }

  private readonly requestTurn = (): void => this.turn('request');
  private readonly workTurn = (): void => this.turn('work');

  private turn(lane: Lane): void {
    this.armed[lane]--;
    const [first, second] = lane === 'request' ? [this.requests, this.work] : [this.work, this.requests];
    const task = first.take() ?? second.take();
    this.arm();
    if (!task) return;
    try {
      task();
    } catch (err) {
      this.opts.onError(err);
    }
  }
}
