import { DemoError } from './demo-errors';

/** Where the driver is and which VNFM to address. */
export interface DriverTarget {
  /** e.g. `http://127.0.0.1:8489` */
  baseUrl: string;
  vnfmType: string;
  vnfmId: string;
  /** Timeout of each HTTP call, ms. */
  timeoutMs: number;
}

/** An HTTP answer: status and parsed JSON body (undefined when empty or not JSON). */
export interface DriverAnswer {
  status: number;
  body: unknown;
}

/** Thin JSON client of the driver's northbound API, as NSLCM calls it (no auth, JSON bodies). */
export class DriverClient {
  constructor(readonly target: DriverTarget) {}

  /** Base of the versioned API, `…/api/{type}/v1`. */
  get apiUrl(): string {
    return `${this.target.baseUrl.replace(/\/+$/, '')}/api/${encodeURIComponent(this.target.vnfmType)}/v1`;
  }

  /** Path below the VNFM, `…/api/{type}/v1/{vnfmid}{rest}`. */
  vnfmUrl(rest: string): string {
    return `${this.apiUrl}/${encodeURIComponent(this.target.vnfmId)}${rest}`;
  }

  /** GET; transport failures and timeouts become a {@link DemoError} of `step`. */
  get(step: string, url: string): Promise<DriverAnswer> {
    return this.call(step, 'GET', url);
  }

  /** POST a JSON body. */
  post(step: string, url: string, body: unknown): Promise<DriverAnswer> {
    return this.call(step, 'POST', url, body);
  }

  /** POST and require a 2xx answer carrying a string `jobId`. */
  async startJob(step: string, url: string, body: unknown): Promise<Record<string, unknown> & { jobId: string }> {
    const answer = await this.post(step, url, body);
    const o = answer.body as Record<string, unknown> | undefined;
    if (answer.status < 200 || answer.status > 299 || typeof o?.jobId !== 'string') {
      throw new DemoError(step, `the driver answered ${answer.status} ${JSON.stringify(answer.body ?? null).slice(0, 400)}`);
    }
    return o as Record<string, unknown> & { jobId: string };
  }

  private async call(step: string, method: string, url: string, body?: unknown): Promise<DriverAnswer> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.target.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new DemoError(step, `driver unreachable at ${this.target.baseUrl} (${method} ${url}: ${cause})`, { cause: err });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  }
}
