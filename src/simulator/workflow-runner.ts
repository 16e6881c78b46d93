import type { VmInstance } from './esc-state';
import type { EscEvent } from './esc-event-writer';
import type { FaultBook } from './fault-book';
import type { FaultRule, SimulatorDelays } from './simulator-types';

/** One activation step: applies its state change and returns the escEvent to send. */
export interface Step {
  type: string;
  delay: keyof SimulatorDelays;
  vm?: VmInstance;
  /** Set when the VIM refuses this step whatever the faults say (e.g. an unknown project): it fails with this message. */
  failsWith?: string;
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
 * Zero-delay jobs advance round-robin, one step each per round, and one turn of the event loop runs
 * rounds until MAX_STEPS_PER_TICK steps have run.
 */
export class WorkflowRunner {
  private readonly running = new Set<RunningJob>();
  /** Running jobs by key, so that cancelling one deployment's jobs does not scan all of them. */
  private readonly byKey = new Map<string, Set<RunningJob>>();
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
    if (job.key !== undefined) {
      let same = this.byKey.get(job.key);
      if (!same) this.byKey.set(job.key, (same = new Set()));
      same.add(rj);
    }
    this.schedule(rj);
  }

  /** Stops the jobs of a deployment without further events (an undeploy overtaking a deploy). */
  cancel(key: string): void {
    const same = this.byKey.get(key);
    if (!same) return;
    this.byKey.delete(key);
    for (const rj of same) {
      if (rj.timer) clearTimeout(rj.timer);
      this.running.delete(rj); // a ready entry of it is skipped when drained
    }
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
    this.byKey.clear();
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
    if (!this.immediate && !this.draining) this.immediate = setImmediate(this.drainNow);
  }

  private draining = false;
  private readonly drainNow = (): void => this.drain();

  private drain(): void {
    this.immediate = undefined;
    this.draining = true;
    let budget = MAX_STEPS_PER_TICK;
    try {
      while (this.ready.length > 0 && budget > 0) {
        // One round: each ready job runs one step. The whole batch is taken at once (Array.shift on a long
        // queue would be O(n) per step); the steps it schedules form the next round.
        const batch = this.ready;
        this.ready = [];
        let i = 0;
        for (; i < batch.length && budget > 0; i++) {
          const rj = batch[i];
          if (!this.running.has(rj)) continue; // cancelled
          this.runStep(rj);
          budget--;
        }
        if (i < batch.length) this.ready = batch.slice(i).concat(this.ready);
      }
    } finally {
      this.draining = false;
      if (this.ready.length > 0 && !this.stopped && !this.immediate) this.immediate = setImmediate(this.drainNow);
    }
  }

  private runStep(rj: RunningJob): void {
    const { job } = rj;
    const step = job.steps[rj.index];
    const isFinal = rj.index === job.steps.length - 1;
    const fault =
      step.failsWith !== undefined
        ? { kind: 'fail' as const, message: step.failsWith }
        : this.faults.atStep(job.deployment, step.vm?.name, step.type, isFinal);
    if (fault?.kind === 'hang') return; // stays in `running` until stop()/cancel(): the workflow never finishes
    if (fault?.kind === 'fail') {
      this.emit(step.fail(fault.message));
      const after = isFinal ? undefined : job.abort?.(step, fault.message);
      if (after) this.emit(after);
      return this.end(rj);
    }
    const e = step.ok();
    if (e) {
      this.emit(e);
      const extra = this.faults.injectAfter(job.deployment, step.vm?.name, step.type);
      if (extra) this.emit(injectedEvent(e, extra));
    }
    rj.index++;
    this.schedule(rj);
  }

  private end(rj: RunningJob): void {
    this.running.delete(rj);
    const key = rj.job.key;
    if (key !== undefined) {
      const same = this.byKey.get(key);
      if (same?.delete(rj) && same.size === 0) this.byKey.delete(key);
    }
    rj.job.finish?.();
  }
}

/**
 * The escEvent an 'inject-event' rule sends: about the same deployment and VM as `after`, with its type and status.
 * Its status_code is the guide's for that event: 500 on FAILURE, 204 for a VM_RECOVERY_UNDEPLOYED SUCCESS ("Recovery
 * VM" notifications, ~3952 and ~4602), 200 otherwise.
 */
function injectedEvent(after: EscEvent, rule: FaultRule): EscEvent {
  const failed = rule.status !== 'SUCCESS';
  const vm = after.vmSource?.name ?? after.depname ?? '';
  return {
    ...after,
    type: rule.event!,
    status: failed ? 'FAILURE' : 'SUCCESS',
    statusCode: failed ? 500 : rule.event === 'VM_RECOVERY_UNDEPLOYED' ? 204 : 200,
    message: rule.message ?? `VM [${vm}] ${failed ? 'failed to be rebooted' : 'is rebooted'}.`,
    vmTarget: undefined,
  };
}
