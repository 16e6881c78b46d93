import type { JobEntryView } from './job-follower';

/** Where the demo writes: a TTY gets redrawn progress bars, anything else plain lines. */
export interface DemoOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Shows the progress of one job at a time. */
export interface JobProgressView {
  /** A new job starts (one line or bar per job). */
  begin(step: string, jobId: string): void;
  /** A new status entry of the current job (entries already shown are ignored). */
  update(entry: JobEntryView): void;
  /** The current job ended. */
  end(entry: JobEntryView): void;
  /** A line of text outside any job. */
  note(text: string): void;
}

const BAR_WIDTH = 30;

/** A bar on a TTY, plain lines otherwise. */
export function createProgressView(out: DemoOutput): JobProgressView {
  return out.isTTY ? new BarView(out) : new LineView(out);
}

function percent(entry: JobEntryView): number {
  if (entry.status === 'finished') return 100;
  return Math.max(0, Math.min(100, entry.progress));
}

/** One line per status entry: `[scale out] 45% processing VM_ALIVE web_0`. */
class LineView implements JobProgressView {
  private step = '';
  private seen = new Set<string>();

  constructor(private readonly out: DemoOutput) {}

  begin(step: string, jobId: string): void {
    this.step = step;
    this.seen = new Set();
    this.out.write(`[${step}] job ${jobId} started\n`);
  }

  update(entry: JobEntryView): void {
    if (this.seen.has(entry.responseId)) return;
    this.seen.add(entry.responseId);
    const pct = entry.status === 'error' ? '  -' : `${String(percent(entry)).padStart(3)}%`;
    this.out.write(`[${this.step}] ${pct} ${entry.status} ${entry.statusDescription}\n`);
  }

  end(entry: JobEntryView): void {
    this.update(entry);
  }

  note(text: string): void {
    this.out.write(`${text}\n`);
  }
}

/** One bar per job, redrawn in place; the finished bar stays on screen. */
class BarView implements JobProgressView {
  private step = '';
  private last?: JobEntryView;

  constructor(private readonly out: DemoOutput) {}

  begin(step: string, _jobId: string): void {
    this.step = step;
    this.last = undefined;
    this.draw({ status: 'started', progress: 0, statusDescription: 'accepted', responseId: '' });
  }

  update(entry: JobEntryView): void {
    this.last = entry;
    this.draw(entry);
  }

  end(entry: JobEntryView): void {
    this.update(entry);
    this.out.write('\n');
  }

  note(text: string): void {
    this.out.write(`${text}\n`);
  }

  private draw(entry: JobEntryView): void {
    const pct = percent(entry);
    const filled = Math.round((pct / 100) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const mark = entry.status === 'finished' ? 'done' : entry.status === 'error' ? 'FAILED' : `${String(pct).padStart(3)}%`;
    const line = `${this.step.padEnd(12)} ${bar} ${mark.padStart(6)}  ${entry.statusDescription}`;
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    this.out.write(`\r\x1b[2K${line.slice(0, width)}`);
  }
}
