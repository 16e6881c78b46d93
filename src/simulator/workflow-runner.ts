import type { VmInstance } from './esc-state';
import type { EscEvent } from './esc-event-writer';
import type { FaultBook } from './fault-book';
import type { SimulatorDelays } from './simulator-types';

/** One activation step: applies its state change and returns the escEvent to send. */
export interface Step {
  type: string;
  delay: keyof SimulatorDelays;
  vm?: VmInstance;
  ok(): EscEvent | undefined;
  /** Applies the error state and returns the FAILURE event of this step. */
  fail(message?: string): EscEvent;
}

/** The steps of one workflow, plus what follows a failed step. */
export interface Job {
  /** Deployment the job is about (fault matching, cancellation). */
  key?: string;
  deployment?: string;
  steps: Step[];
  /** Final FAILURE event after a failed step that was not the last one. */
  abort?(failed: Step, message?: string): EscEvent | undefined;
  /** Called when the job ends for whatever reason except cancellation. */
  finish?(): void;
}

interface RunningJob {
  job: Job;
  index: number;
  timer?: NodeJS.Timeout;
}

const MAX_STEPS_PER_TICK = 2000;

/**
 * Runs accepted workflows asynchronously (guide, "Stage 2: Activation of a new Configuration").
 * Steps with delay 0 are batched with setImmediate (no timer per event); others use one timer.
 */
export class WorkflowRunner {
  private readonly running = new Set<RunningJob>();
  private ready: RunningJob[] = [];
  private immediate?: NodeJS.Immediate;
  private stopped = false;

  constructor(
    private readonly delays: SimulatorDelays,
    private readonly faults: FaultBook,
    private readonly emit: (e: EscEvent) => void,
  ) {}

  start(job: Job): void {
    if (this.stopped) return;
    const rj: RunningJob = { job, index: 0 };
    this.running.add(rj);
    this.schedule(rj);
  }

  /** Stops the jobs of a deployment without further events (an undeploy overtaking a deploy). */
  cancel(key: string): void {
    for (const rj of this.running) {
      if (rj.job.key !== key) continue;
      if (rj.timer) clearTimeout(rj.timer);
      this.running.delete(rj);
    }
    this.ready = this.ready.filter((rj) => this.running.has(rj));
  }

  /** Number of jobs still running (including ones held by a never-finish fault). */
  get activeJobs(): number {
    return this.running.size;
  }

  stop(): void {
    this.stopped = true;
    for (const rj of this.running) if (rj.timer) clearTimeout(rj.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.running.clear();
    this.ready = [];
  }

  private schedule(rj: RunningJob): void {
    const step = rj.job.steps[rj.index];
    if (!step) return this.end(rj);
    const delay = this.delays[step.delay];
    if (delay > 0) {
      rj.timer = setTimeout(() => {
        rj.timer = undefined;
        this.runStep(rj);
      }, delay);
      return;
    }
    this.ready.push(rj);
    if (!this.immediate) this.immediate = setImmediate(() => this.drain());
  }

  private drain(): void {
    this.immediate = undefined;
    // Take the whole batch at once (Array.shift on a long queue would be O(n) per step).
    const batch = this.ready;
    this.ready = [];
    let i = 0;
    for (; i < batch.length && i < MAX_STEPS_PER_TICK; i++) {
      const rj = batch[i]!;
      if (this.running.has(rj)) this.runStep(rj);
    }
    if (i < batch.length) this.ready = batch.slice(i).concat(this.ready);
    if (this.ready.length > 0 && !this.stopped) this.immediate = setImmediate(() => this.drain());
  }

  private runStep(rj: RunningJob): void {
    const { job } = rj;
    const step = job.steps[rj.index]!;
    const isFinal = rj.index === job.steps.length - 1;
    const fault = this.faults.atStep(job.deployment, step.vm?.name, step.type, isFinal);
    if (fault?.kind === 'hang') return; // stays in `running` until stop()/cancel(): the workflow never finishes
    if (fault?.kind === 'fail') {
      this.emit(step.fail(fault.message));
      const after = isFinal ? undefined : job.abort?.(step, fault.message);
      if (after) this.emit(after);
      return this.end(rj);
    }
    const e = step.ok();
    if (e) this.emit(e);
    rj.index++;
    this.schedule(rj);
  }

  private end(rj: RunningJob): void {
    this.running.delete(rj);
    rj.job.finish?.();
  }
}
