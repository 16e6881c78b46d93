import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplicaBalancer } from './replica-balancer';
import { startDriverProcess, type DriverProcess } from './driver-process';
import type { FaultEvent } from './notify-ledger';

/** Where one replica is: taking requests, stopped by SIGSTOP, or killed and not yet started again. */
type ReplicaState = 'up' | 'frozen' | 'dead';

/** One replica of the driver: its REPLICA_ID stays across restarts, each run (incarnation) has a log of its own. */
export interface Replica {
  id: string;
  state: ReplicaState;
  process?: DriverProcess;
  /** The log file of each incarnation, oldest first. */
  logs: string[];
}

/** Options of {@link ReplicaFleet}. */
export interface FleetOptions {
  /** How many replicas. */
  count: number;
  /** Where the logs go. */
  dir: string;
  /** The environment of every replica (PORT 0 and HOST given here); REPLICA_ID is added per replica. */
  env: Record<string, string>;
  /** REPLICA_ID of replica i is `${idPrefix}-${i}`. */
  idPrefix?: string;
  /** Receives the routable replicas' ports whenever they change. */
  balancer?: ReplicaBalancer;
}

/**
 * Replicas of the driver as child processes (`node dist/main.js`), each configured by environment variables and
 * logging to a file of its own, with the faults a soak injects: SIGKILL then a restart under the same REPLICA_ID,
 * SIGSTOP then SIGCONT. A replica is taken out of the balancer's rotation (and its requests drained) before a fault
 * and put back once it runs again. The CPU time of every incarnation is summed, that of a killed one read just
 * before the kill.
 */
export class ReplicaFleet {
  readonly replicas: Replica[];
  readonly events: FaultEvent[] = [];
  private cpuOfEnded = 0;

  constructor(private readonly opts: FleetOptions) {
    const prefix = opts.idPrefix ?? 'replica';
    this.replicas = Array.from({ length: opts.count }, (_, i) => ({ id: `${prefix}-${i + 1}`, state: 'dead', logs: [] }));
  }

  /** Starts every replica, one after the other (so that the first migrates the database alone). */
  async start(): Promise<void> {
    for (const r of this.replicas) await this.launch(r);
    this.route();
  }

  /** The replica named `id`. */
  get(id: string): Replica {
    const found = this.replicas.find((r) => r.id === id);
    if (!found) throw new Error(`no replica ${id}`);
    return found;
  }

  /** SIGKILL: no shutdown, no deregistration, jobs cut wherever they were. */
  async kill(id: string): Promise<void> {
    const r = this.get(id);
    if (r.state === 'dead' || !r.process) return;
    await this.takeOut(r);
    this.cpuOfEnded += r.process.usage().cpuMs;
    r.process.signal('SIGKILL');
    await r.process.exited;
    r.state = 'dead';
    r.process = undefined;
    this.note(r, 'kill');
  }

  /** Starts a killed replica again, under the same REPLICA_ID, with a new log file. */
  async restart(id: string): Promise<void> {
    const r = this.get(id);
    if (r.state !== 'dead') return;
    await this.launch(r);
    this.note(r, 'restart');
    this.route();
  }

  /** SIGSTOP: the process keeps its connections and its state but runs nothing, as a stalled VM or a long GC pause. */
  async freeze(id: string): Promise<void> {
    const r = this.get(id);
    if (r.state !== 'up' || !r.process) return;
    await this.takeOut(r);
    r.process.signal('SIGSTOP');
    r.state = 'frozen';
    this.note(r, 'freeze');
  }

  /** SIGCONT: the frozen replica runs on from where it was. */
  thaw(id: string): void {
    const r = this.get(id);
    if (r.state !== 'frozen' || !r.process) return;
    r.process.signal('SIGCONT');
    r.state = 'up';
    this.note(r, 'thaw');
    this.route();
  }

  /** Thaws the frozen replicas and restarts the dead ones. */
  async heal(): Promise<void> {
    for (const r of this.replicas) {
      if (r.state === 'frozen') this.thaw(r.id);
      else if (r.state === 'dead') await this.restart(r.id);
    }
  }

  /** CPU time of every incarnation so far, ms. */
  cpuMs(): number {
    return this.cpuOfEnded + this.replicas.reduce((sum, r) => sum + (r.process?.usage().cpuMs ?? 0), 0);
  }

  /** The whole log of a replica, its incarnations one after the other. */
  logOf(id: string): string {
    return this.get(id)
      .logs.filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('');
  }

  /** Thaws, then stops every replica gracefully (SIGTERM, SIGKILL after the grace). */
  async stop(graceMs = 15_000): Promise<void> {
    for (const r of this.replicas) if (r.state === 'frozen') this.thaw(r.id);
    this.opts.balancer?.setTargets([]);
    for (const r of this.replicas) this.cpuOfEnded += r.process?.usage().cpuMs ?? 0;
    await Promise.all(this.replicas.map((r) => r.process?.stop(graceMs) ?? Promise.resolve()));
    for (const r of this.replicas) {
      r.state = 'dead';
      r.process = undefined;
    }
  }

  private async launch(r: Replica): Promise<void> {
    const log = join(this.opts.dir, `${r.id}.${r.logs.length + 1}.log`);
    r.logs.push(log);
    r.process = await startDriverProcess({ ...this.opts.env, REPLICA_ID: r.id }, log);
    r.state = 'up';
  }

  private async takeOut(r: Replica): Promise<void> {
    const ports = this.replicas.filter((o) => o !== r && o.state === 'up' && o.process).map((o) => o.process!.port);
    this.opts.balancer?.setTargets(ports);
    if (r.process) await this.opts.balancer?.drain(r.process.port);
  }

  private route(): void {
    this.opts.balancer?.setTargets(this.replicas.filter((r) => r.state === 'up' && r.process).map((r) => r.process!.port));
  }

  private note(r: Replica, kind: FaultEvent['kind']): void {
    this.events.push({ at: Date.now(), replica: r.id, kind });
  }
}
