import type { Log } from '../logging/log';
import type { ReconcileLock, ReconcileLockHold } from './ports';

/** Inputs of {@link EscResponsibility}. */
export interface EscResponsibilityOptions {
  /** The per-ESC lock replicas sharing the store take turns on; absent (one process): responsible for every ESC. */
  lock?: ReconcileLock;
  /** Pause between two attempts to take the ESCs held elsewhere, ms. */
  retryMs: number;
  log: Log;
}

/** The lock key of an ESC (`host:port`); the same one the reconciliation of its deployments takes. */
export function escLockKey(esc: string): string {
  return `reconcile ${esc}`;
}

/**
 * Which replica is responsible for each ESC's ESC-initiated changes (recovery, elastic scaling): the one holding the
 * ESC's lock. It handles every escEvent of that ESC and reconciles its deployments; the others handle only the
 * events of their own jobs' deployments. A replica keeps the lock once it has it, until it stops or the lock's
 * connection is lost; the others try again every `retryMs`, so that a replica that died is replaced by the next try.
 */
export class EscResponsibility {
  private readonly held = new Map<string, ReconcileLockHold>();
  private readonly wanted = new Set<string>();
  private readonly trying = new Map<string, Promise<boolean>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly opts: EscResponsibilityOptions) {}

  /** True while this replica holds the ESC's lock (always without a lock). */
  holds(esc: string): boolean {
    if (!this.opts.lock) return true;
    const hold = this.held.get(esc);
    return hold !== undefined && hold.lost !== true;
  }

  /** Wants the ESC from now on; tries to take its lock now unless held. Resolves to whether this replica holds it. */
  claim(esc: string): Promise<boolean> {
    this.wanted.add(esc);
    return this.take(esc);
  }

  /** Starts trying again every `retryMs` for the ESCs held elsewhere. */
  start(): void {
    if (!this.opts.lock) return;
    this.timer = setInterval(() => {
      for (const esc of this.wanted) void this.take(esc);
    }, this.opts.retryMs);
    this.timer.unref();
  }

  /** Stops trying and lets go of every lock held, so that another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.trying.values()]);
    const holds = [...this.held.values()];
    this.held.clear();
    await Promise.allSettled(holds.map((h) => h.release()));
  }

  private take(esc: string): Promise<boolean> {
    const lock = this.opts.lock;
    if (!lock || this.stopped) return Promise.resolve(this.holds(esc));
    const held = this.held.get(esc);
    if (held && held.lost !== true) return Promise.resolve(true);
    if (held) {
      this.held.delete(esc);
      this.opts.log.warn('lost the lock of an ESC; trying to take it again', { esc });
      void held.release();
    }
    let pending = this.trying.get(esc);
    if (!pending) {
      pending = lock
        .tryHold(escLockKey(esc))
        .then(async (hold) => {
          if (!hold) return false;
          if (this.stopped) {
            await hold.release();
            return false;
          }
          this.held.set(esc, hold);
          this.opts.log.info('this replica is now responsible for the ESC-initiated changes of an ESC', { esc });
          return true;
        })
        .catch((err: unknown) => {
          this.opts.log.warn('could not take the lock of an ESC; trying again later', { esc, error: (err as Error).message });
          return false;
        })
        .finally(() => this.trying.delete(esc));
      this.trying.set(esc, pending);
    }
    return pending;
  }
}
