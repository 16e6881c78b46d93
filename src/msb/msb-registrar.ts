import type { Log } from '../logging/log';
import { stripUrlCredentials } from '../logging/redact';
import { MsbClient, buildRegistration, type MsbServiceRegistration } from './msb-client';

/** Options of {@link MsbRegistrar}. Times in milliseconds. */
export interface MsbRegistrarOptions {
  /** MSB base URL, e.g. `http://msb-iag:80`. */
  msbUrl: string;
  /** The vnfm type; also the path segment of `/api/<serviceName>/v1`. */
  serviceName: string;
  /** Address advertised to MSB (SERVICE_IP / SERVICE_PORT). */
  ip: string;
  port: number;
  /** MSB node ttl in seconds; default 0 (MSB keeps the node until it is deleted). */
  ttl?: number;
  /** Bound of each HTTP call to MSB. */
  httpTimeoutMs: number;
  /** Backoff between failed registrations: doubles from `initialMs` up to `maxMs`. */
  retry: { initialMs: number; maxMs: number };
  /** Pause between checks that MSB still has our registration. */
  checkIntervalMs: number;
  log: Log;
  /** Receives 1 while registered, 0 otherwise (a prom-client Gauge fits). */
  metrics?: { msbRegistered: { set(value: number): void } };
}

/**
 * Keeps the driver registered in MSB (docs/nslcm-contract.md §7 "MSB registration"). `start()` runs a background loop:
 * register, retrying with exponential backoff until MSB accepts (MSB often starts after us); then
 * check every `checkIntervalMs` and register again when MSB has lost us. A check that gets no
 * answer leaves the state as it is (an MSB outage does not make us unready) and is retried after
 * the backoff. `stop()` ends the loop and removes this instance's node only: replicas of the driver each register
 * their own address as a node of the one service, and a replica that stops leaves the others registered.
 */
export class MsbRegistrar {
  private readonly client: MsbClient;
  private readonly body: MsbServiceRegistration;
  private readonly log: Log;
  private registered = false;
  private attempted = false;
  private stopping = false;
  private loop?: Promise<void>;
  private readonly abort = new AbortController();
  private wake?: () => void;

  constructor(private readonly opts: MsbRegistrarOptions) {
    this.client = new MsbClient(opts.msbUrl, opts.httpTimeoutMs, opts.serviceName);
    this.body = buildRegistration(opts.serviceName, opts.ip, opts.port, opts.ttl ?? 0);
    this.log = opts.log.child({ component: 'msb', msbUrl: stripUrlCredentials(opts.msbUrl), serviceName: opts.serviceName });
  }

  /** The exact body POSTed to MSB. */
  registration(): MsbServiceRegistration {
    return this.body;
  }

  /** Starts the background loop; returns at once. A second call does nothing. */
  start(): void {
    if (this.loop !== undefined || this.stopping) return;
    this.setRegistered(false);
    this.loop = this.run().catch((err: unknown) => {
      this.log.error('MSB registration loop ended unexpectedly', { error: String(err) });
    });
  }

  /** True once MSB accepted the registration and until it is found lost or `stop()` is called. */
  isRegistered(): boolean {
    return this.registered;
  }

  /**
   * Stops timers and the loop (aborting a call in flight), then deletes this instance's node if a registration
   * was ever attempted. Never rejects; the DELETE (and the look-up after a 500) is bounded by `httpTimeoutMs` each.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    const wasAttempted = this.attempted;
    this.setRegistered(false);
    if (wasAttempted) await this.deregister();
  }

  private async run(): Promise<void> {
    let backoff = this.opts.retry.initialMs;
    while (!this.stopping) {
      const ok = this.registered ? await this.check() : await this.register();
      if (this.stopping) break;
      if (ok) {
        backoff = this.opts.retry.initialMs;
        await this.sleep(this.registered ? this.opts.checkIntervalMs : 0);
      } else {
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.opts.retry.maxMs);
      }
    }
  }

  /** One registration attempt; true when MSB accepted it. */
  private async register(): Promise<boolean> {
    this.attempted = true;
    try {
      await this.client.register(this.body, this.abort.signal);
      this.setRegistered(true);
      this.log.info('registered in MSB', { ip: this.opts.ip, port: this.opts.port });
      return true;
    } catch (err) {
      if (!this.stopping) this.log.warn('MSB registration failed, will retry', { error: String(err) });
      return false;
    }
  }

  /** One check; true when it got an answer (state updated), false when MSB did not answer. */
  private async check(): Promise<boolean> {
    try {
      const found = await this.client.lookup(this.opts.serviceName, this.body.nodes[0], this.abort.signal);
      if (found === 'absent') {
        this.setRegistered(false);
        this.log.warn('MSB no longer lists this instance; registering again');
      }
      return true;
    } catch (err) {
      if (!this.stopping) this.log.warn('MSB registration check failed, will retry', { error: String(err) });
      return false;
    }
  }

  private async deregister(): Promise<void> {
    try {
      const status = await this.client.deregister(this.opts.serviceName, this.body.nodes[0]);
      const note = status === 500 ? ' (MSB answered 500 but no longer lists the node)' : status === 404 ? ' (was not registered)' : '';
      this.log.info(`deregistered from MSB${note}`, { status });
    } catch (err) {
      this.log.warn('MSB deregistration failed', { error: String(err) });
    }
  }

  private setRegistered(value: boolean): void {
    this.registered = value;
    this.opts.metrics?.msbRegistered.set(value ? 1 : 0);
  }

  /** Waits `ms`, or less if `stop()` is called; the timer is always cleared. */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
