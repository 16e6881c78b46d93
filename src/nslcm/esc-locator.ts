import { isIP } from 'node:net';
import type { Log } from '../logging/log';
import { silentLog } from '../logging/log';
import type { SecretRegistry } from '../logging/secret-registry';
import type { VnfmInfo } from './nslcm-types';
import { stripUrlCredentials } from '../logging/redact';
import { AbortedError } from './retry-policy';

/** Host and NETCONF port of an ESC. `host` has no brackets (IPv6 literals are bare). */
export interface EscAddress {
  host: string;
  port: number;
}

/** Default NETCONF-over-SSH port (RFC 6242 §2). */
export const DEFAULT_NETCONF_PORT = 830;

/** The VNFM url cannot be read as an ESC address. */
export class EscAddressError extends Error {
  readonly input: string;

  constructor(input: string, reason: string) {
    const safe = stripUrlCredentials(input ?? '');
    super(`cannot read ESC address from VNFM url "${safe}": ${reason}`);
    this.input = safe;
    this.name = 'EscAddressError';
  }
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/**
 * Reads the ESC NETCONF endpoint from the VNFM `url` registered in ONAP ESR. Accepted forms:
 * `ssh://host[:port]`, `netconf://host[:port]`, `host[:port]`, `[v6]:port`, and `http(s)://host[:port]/…`
 * (the ESC REST address: only the host is used, the port is always `defaultPort`). A missing port is
 * `defaultPort`. User-info in the URL is ignored (credentials come from userName/password).
 */
export function parseEscAddress(url: string, defaultPort: number = DEFAULT_NETCONF_PORT): EscAddress {
  const input = (url ?? '').trim();
  if (!input) throw new EscAddressError(url, 'it is empty');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input)?.[1]?.toLowerCase();
  if (scheme) {
    if (!['ssh', 'netconf', 'http', 'https'].includes(scheme)) throw new EscAddressError(url, `unsupported scheme "${scheme}"`);
    let parsed: URL;
    try {
      parsed = new URL(input.replace(/^[^:]+:/, 'http:'));
    } catch {
      throw new EscAddressError(url, 'it is not a valid URL');
    }
    const host = unbracket(parsed.hostname);
    checkHost(url, host);
    const usePort = scheme === 'ssh' || scheme === 'netconf';
    return { host, port: usePort && parsed.port ? toPort(url, parsed.port) : defaultPort };
  }
  if (input.includes('/') || /\s/.test(input)) throw new EscAddressError(url, 'expected host:port or a URL');
  if (isIP(input) === 6) return { host: input, port: defaultPort };
  const m = /^(\[[^\]]+\]|[^:]+)(?::([^:]*))?$/.exec(input);
  if (!m) throw new EscAddressError(url, 'expected host:port (IPv6 in brackets)');
  const host = unbracket(m[1]);
  checkHost(url, host);
  return { host, port: m[2] !== undefined ? toPort(url, m[2]) : defaultPort };
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function checkHost(input: string, host: string): void {
  if (isIP(host)) return;
  if (!HOSTNAME.test(host)) throw new EscAddressError(input, `"${host}" is not a host name or IP address`);
}

function toPort(input: string, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new EscAddressError(input, `port "${text}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new EscAddressError(input, `port ${port} is out of range`);
  return port;
}

/** Where and how to reach the ESC behind a VNFM id. `password` is non-enumerable (never logged). */
export interface EscEndpoint extends EscAddress {
  vnfmId: string;
  userName: string;
  readonly password: string;
}

/** Settings of an {@link EscLocator}. */
export interface EscLocatorOptions {
  nslcm: { getVnfmInfo(vnfmId: string): Promise<VnfmInfo> };
  /** How long a looked-up endpoint is reused, ms (default 300 000). */
  ttlMs?: number;
  /** NETCONF port when the url does not give one (ESC_NETCONF_PORT, default 830). */
  defaultPort?: number;
  now?: () => number;
  log?: Log;
  /** Where each located ESC password (and any password in the VNFM url's user-info) is registered, to be masked. */
  secrets?: SecretRegistry;
}

/**
 * Finds the ESC for a VNFM id through NSLCM, caching answers for a TTL. Concurrent lookups of the same
 * id share one request. Call {@link EscLocator.invalidate} when ESC rejects the credentials.
 */
export class EscLocator {
  private readonly cache = new Map<string, { endpoint: EscEndpoint; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<EscEndpoint>>();
  private readonly generation = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly defaultPort: number;
  private readonly now: () => number;
  private readonly log: Log;

  constructor(private readonly opts: EscLocatorOptions) {
    this.ttlMs = opts.ttlMs ?? 300_000;
    this.defaultPort = opts.defaultPort ?? DEFAULT_NETCONF_PORT;
    this.now = opts.now ?? Date.now;
    this.log = (opts.log ?? silentLog).child({ component: 'esc-locator' });
  }

  /** The ESC endpoint of `vnfmId`, from the cache when fresh. `signal` only stops this caller's wait. */
  async locate(vnfmId: string, signal?: AbortSignal): Promise<EscEndpoint> {
    const hit = this.cache.get(vnfmId);
    if (hit && hit.expiresAt > this.now()) return hit.endpoint;
    let pending = this.inflight.get(vnfmId);
    if (!pending) {
      pending = this.lookup(vnfmId);
      this.inflight.set(vnfmId, pending);
      const clear = (): void => {
        if (this.inflight.get(vnfmId) === pending) this.inflight.delete(vnfmId);
      };
      pending.then(clear, clear);
    }
    return signal ? raceAbort(pending, signal) : pending;
  }

  /** Forgets what is known of `vnfmId` (e.g. after an authentication failure); the next locate asks NSLCM. */
  invalidate(vnfmId: string): void {
    this.cache.delete(vnfmId);
    this.inflight.delete(vnfmId);
    this.generation.set(vnfmId, (this.generation.get(vnfmId) ?? 0) + 1);
    this.log.info('ESC endpoint invalidated', { vnfmId });
  }

  /** Number of cached endpoints (fresh or not). */
  get size(): number {
    return this.cache.size;
  }

  private async lookup(vnfmId: string): Promise<EscEndpoint> {
    const gen = this.generation.get(vnfmId) ?? 0;
    const info = await this.opts.nslcm.getVnfmInfo(vnfmId);
    this.opts.secrets?.add(info.password);
    this.opts.secrets?.addUrlCredentials(info.url);
    const address = parseEscAddress(info.url, this.defaultPort);
    const endpoint = { vnfmId, ...address, userName: info.userName } as EscEndpoint;
    Object.defineProperty(endpoint, 'password', { value: info.password, enumerable: false });
    if ((this.generation.get(vnfmId) ?? 0) === gen) {
      this.cache.set(vnfmId, { endpoint, expiresAt: this.now() + this.ttlMs });
    }
    this.log.debug('ESC endpoint located', { vnfmId, host: address.host, port: address.port });
    return endpoint;
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError('ESC lookup'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortedError('ESC lookup'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
