import { pathOf, urlUnder } from '../http/url-path';
import { stripUrlCredentials } from '../logging/redact';
import { onapHeaders } from '../tracing/onap-headers';

/** Base path of MSB's service registry API. */
export const MSB_SERVICES_PATH = '/api/microservices/v1/services';

/** One instance of the service as MSB records it. MSB's model types `port` as a string. */
export interface MsbNode {
  ip: string;
  port: string;
  ttl: number;
}

/** The registration body MSB expects (docs/nslcm-contract.md §7 "MSB registration"). */
export interface MsbServiceRegistration {
  serviceName: string;
  version: 'v1';
  url: string;
  protocol: 'REST';
  visualRange: '1';
  nodes: MsbNode[];
}

/**
 * Builds the registration body: `url` is `/api/<serviceName>/v1`, one node, this instance. MSB's POST creates the
 * service or, when it exists, adds the node to it (its `createOrUpdate` query parameter defaults to true), so every
 * replica registering this body with its own address becomes one more node of the one service.
 */
export function buildRegistration(serviceName: string, ip: string, port: number, ttl: number): MsbServiceRegistration {
  return {
    serviceName,
    version: 'v1',
    url: `/api/${serviceName}/v1`,
    protocol: 'REST',
    visualRange: '1',
    nodes: [{ ip, port: String(port), ttl }],
  };
}

/** An MSB call failed: `step` names the call, `status` is the HTTP status when there was an answer. */
export class MsbError extends Error {
  constructor(
    readonly step: 'register' | 'lookup' | 'deregister',
    readonly url: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`MSB ${step} at ${url}: ${message}`, options);
    this.name = 'MsbError';
  }
}

/** What MSB says about our node: listed under the service, or not (no service, or a service without it). */
export type LookupResult = 'present' | 'absent';

/**
 * Thin HTTP client for the three MSB calls the registrar makes. Every call is bounded by `timeoutMs` and carries
 * ONAP's tracing headers, `partnerName` (the service name) as X-ONAP-PartnerName. User-info in the MSB URL is sent
 * as basic authentication, never as part of a URL (which also appears in errors).
 */
export class MsbClient {
  private readonly base: string;
  private readonly headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };

  constructor(
    msbUrl: string,
    private readonly timeoutMs: number,
    private readonly partnerName: string,
  ) {
    this.base = stripUrlCredentials(msbUrl).replace(/\/+$/, '');
    const parsed = URL.canParse(msbUrl) ? new URL(msbUrl) : undefined;
    if (parsed?.username) {
      const userPass = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.headers.Authorization = `Basic ${Buffer.from(userPass).toString('base64')}`;
    }
  }

  /** `POST /api/microservices/v1/services`; resolves on any 2xx, else throws {@link MsbError}. */
  async register(body: MsbServiceRegistration, signal?: AbortSignal): Promise<void> {
    const url = urlUnder(this.base, MSB_SERVICES_PATH);
    const res = await this.send('register', url, { method: 'POST', body: JSON.stringify(body) }, signal);
    if (res.status < 200 || res.status > 299) {
      throw new MsbError('register', url, `answered ${res.status}: ${await safeText(res)}`, res.status);
    }
    await res.body?.cancel();
  }

  /**
   * `GET .../services/<name>/version/v1`: 'absent' on 404 or when MSB lists the service without our
   * node (ip and port); 'present' when our node is listed. Throws {@link MsbError} on anything else.
   */
  async lookup(serviceName: string, node: MsbNode, signal?: AbortSignal): Promise<LookupResult> {
    const url = this.serviceUrl(serviceName);
    const res = await this.send('lookup', url, { method: 'GET' }, signal);
    if (res.status === 404) {
      await res.body?.cancel();
      return 'absent';
    }
    if (res.status !== 200) throw new MsbError('lookup', url, `answered ${res.status}`, res.status);
    const found = (await res.json().catch(() => undefined)) as { nodes?: Array<{ ip?: unknown; port?: unknown }> } | undefined;
    const nodes = Array.isArray(found?.nodes) ? found.nodes : [];
    const ours = nodes.some((n) => n.ip === node.ip && String(n.port) === node.port);
    return ours ? 'present' : 'absent';
  }

  /**
   * `DELETE .../services/<name>/version/v1/nodes/<ip>/<port>`: removes this instance only, so the other replicas
   * registered under the same service stay listed. Resolves with the status on 2xx and 404 (already gone); on 500
   * (MSB's answer when its removal failed, and sometimes although it removed) it looks the service up once and
   * resolves with 500 when our node is no longer listed. Throws {@link MsbError} otherwise.
   */
  async deregister(serviceName: string, node: MsbNode, signal?: AbortSignal): Promise<number> {
    const url = urlUnder(this.base, MSB_SERVICES_PATH + pathOf`/${serviceName}/version/v1/nodes/${node.ip}/${node.port}`);
    const res = await this.send('deregister', url, { method: 'DELETE' }, signal);
    await res.body?.cancel();
    if ((res.status >= 200 && res.status <= 299) || res.status === 404) return res.status;
    if (res.status === 500 && (await this.lookup(serviceName, node, signal)) === 'absent') return res.status;
    throw new MsbError('deregister', url, `answered ${res.status}`, res.status);
  }

  private serviceUrl(serviceName: string): string {
    return urlUnder(this.base, MSB_SERVICES_PATH + pathOf`/${serviceName}/version/v1`);
  }

  private async send(step: MsbError['step'], url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await fetch(url, {
        ...init,
        headers: { ...this.headers, ...onapHeaders(this.partnerName) },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : describe(err);
      throw new MsbError(step, url, reason, undefined, { cause: err });
    }
  }
}

async function safeText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  return text.slice(0, 200);
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
