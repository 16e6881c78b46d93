import { runUntraced } from '../tracing/trace-context';
import { settledWithin } from './settled-within';
import type { Schedule } from './turn-scheduler';

/**
 * One pass of a delivery loop: does what is due, then answers in how many ms the loop should look again (capped at
 * the idle poll), or undefined to look again after the idle poll. `signal` aborts when stop() stops waiting for it.
 */
export type DeliveryPass = (signal: AbortSignal) => Promise<number | undefined>;

/** Settings of a {@link DeliveryLoop}. Durations in ms. */
export interface DeliveryLoopOptions {
  /** The service's turns (src/async/turn-scheduler.ts): each pass waits for its turn. Default: at once. */
  schedule?: Schedule;
  /** Longest sleep between passes, so that rows written by others are noticed. */
  idlePollMs: number;
  /** How long stop() waits for the pass in flight before aborting its signal. */
  stopTimeoutMs: number;
  /** Told of a pass that failed; the loop looks again after the idle poll. */
  onError: (err: unknown) => void;
}

/**
 * The wake-and-sleep loop of an outbox: one pass at a time, woken by kick() or by its own timer, sleeping as long as
 * the pass says (at most the idle poll). A kick while a pass runs makes one more pass after it; kicks before a pass
 * starts share it. Its timer does not keep the process alive and carries no trace.
 */
export class DeliveryLoop {
  private running = false;
  private timer?: NodeJS.Timeout;
  /** A pass is already due now: further kicks before it runs change nothing. */
  private kicked = false;
  private passing?: Promise<void>;
  private passAgain = false;
  private abort?: AbortController;

  constructor(
    private readonly pass: DeliveryPass,
    private readonly opts: DeliveryLoopOptions,
  ) {}

  /** Whether the loop is started and not stopped: a pass checks it before acting on what it read. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the loop with a pass at once (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.kick();
  }

  /** Wakes the loop now (something became due); no effect when stopped. */
  kick(): void {
    // A pass is due already (its timer set or its task waiting for its turn): it will see what this kick is for.
    if (!this.running || this.kicked) return;
    this.kicked = true;
    this.wake(0);
  }

  /** Stops the loop; waits up to `stopTimeoutMs` for the pass in flight, then aborts its signal and waits for it to end. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.kicked = false;
    const pass = this.passing;
    if (!pass) return;
    if (!(await settledWithin(pass, this.opts.stopTimeoutMs))) {
      this.abort?.abort();
      await pass;
    }
  }

  private wake(delayMs: number): void {
    clearTimeout(this.timer);
    // The loop serves everyone: its timer must not carry the trace of whoever happened to kick it.
    const timer: NodeJS.Timeout = runUntraced(() =>
      setTimeout(
        () => {
          // Forgotten here rather than in tick(): a pass waiting for its turn must not forget a timer set meanwhile.
          if (this.timer === timer) this.timer = undefined;
          if (this.opts.schedule) this.opts.schedule(() => this.tick());
          else this.tick();
        },
        Math.max(0, delayMs),
      ),
    );
    this.timer = timer;
    this.timer.unref();
  }

  private tick(): void {
    this.kicked = false;
    if (!this.running) return;
    // One pass at a time: two passes reading the store together could both send the same row.
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = this.run().finally(() => {
      this.passing = undefined;
      if (!this.passAgain) return;
      this.passAgain = false;
      this.tick();
    });
  }

  private async run(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    let next: number | undefined;
    try {
      next = await this.pass(abort.signal);
    } catch (err) {
      this.opts.onError(err);
      next = undefined;
    }
    // A kick during the pass has its wake due now: the pass's longer sleep must not replace it.
    if (!this.running || this.kicked) return;
    const idle = this.opts.idlePollMs;
    this.wake(next === undefined ? idle : Math.min(idle, next));
  }
}
