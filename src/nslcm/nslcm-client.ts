import type { Schedule } from '../async/turn-scheduler';
import { pathOf } from '../http/url-path';
import type { Log } from '../logging/log';
import { silentLog } from '../logging/log';
import type { SecretRegistry } from '../logging/secret-registry';
import { HttpCaller } from './http-caller';
import { GrantRefusedError, NslcmError } from './nslcm-errors';
import type { GrantResult, GrantVnfRequest, NotifyBody, VimInfo, VnfmInfo, VnfPackage } from './nslcm-types';
import { excerptBody } from '../logging/redact';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** Settings of the NSLCM client. */
export interface NslcmClientOptions {
  /** MSB (or NSLCM) base URL, e.g. `http://msb-iag:80`. */
  baseUrl: string;
  /** Per-attempt timeout in ms (default 10 000). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  log?: Log;
  /** Our name in X-ONAP-PartnerName (the service name, VNFM_TYPE). */
  partnerName: string;
  /** Random source for jitter (tests). */
  random?: () => number;
  /** Where answers are handed back (see HttpCallerOptions.schedule). */
  schedule?: Schedule;
  /** Where the VIM passwords NSLCM answers are registered, to be masked (the ESC locator registers the VNFM ones). */
  secrets?: SecretRegistry;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** One attempt only (used by the Notify outbox, which keeps its own durable retry schedule). */
  noRetry?: boolean;
}

/** Default per-attempt timeout of calls to NSLCM, in ms. */
export const DEFAULT_NSLCM_TIMEOUT_MS = 10_000;

/**
 * Client of the NSLCM and catalog APIs the driver calls (docs/nslcm-contract.md §5 "Calls the driver makes to NSLCM and the catalog").
 * Every call has a timeout; connection errors, timeouts and 5xx are retried with backoff; 4xx are not.
 * Failures are {@link NslcmError}s; a refused grant is a {@link GrantRefusedError}.
 */
export class NslcmClient {
  private readonly caller: HttpCaller;
  private readonly log: Log;
  private readonly secrets?: SecretRegistry;

  constructor(opts: NslcmClientOptions) {
    this.secrets = opts.secrets;
    this.log = (opts.log ?? silentLog).child({ component: 'nslcm-client' });
    this.caller = new HttpCaller({
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs ?? DEFAULT_NSLCM_TIMEOUT_MS,
      retry: { ...DEFAULT_RETRY_POLICY, ...opts.retry },
      log: this.log,
      partnerName: opts.partnerName,
      random: opts.random,
      schedule: opts.schedule,
    });
  }

  /** `GET /api/nslcm/v1/vnfms/{vnfmid}`: where the ESC of this VNFM is and how to log in. */
  async getVnfmInfo(vnfmId: string, opts: CallOptions = {}): Promise<VnfmInfo> {
    const path = pathOf`/api/nslcm/v1/vnfms/${vnfmId}`;
    const { data } = await this.caller.request({ call: 'getVnfmInfo', method: 'GET', path, expect: [200], ...opts });
    const o = requireObject(data, 'getVnfmInfo', this.caller.urlFor(path));
    const url = requireString(o, 'url', 'getVnfmInfo', this.caller.urlFor(path));
    const info = {
      vnfmId: optString(o.vnfmId) ?? vnfmId,
      name: optString(o.name) ?? '',
      type: optString(o.type) ?? '',
      vimId: optString(o.vimId),
      url,
      userName: optString(o.userName) ?? '',
    };
    return withHiddenPassword(info, optString(o.password) ?? '');
  }

  /** `GET /api/nslcm/v1/vims/{cloudOwner}/{cloudRegionId}`. */
  async getVimInfo(cloudOwner: string, cloudRegionId: string, opts: CallOptions = {}): Promise<VimInfo> {
    const path = pathOf`/api/nslcm/v1/vims/${cloudOwner}/${cloudRegionId}`;
    const { data } = await this.caller.request({ call: 'getVimInfo', method: 'GET', path, expect: [200], ...opts });
    const url = this.caller.urlFor(path);
    const o = requireObject(data, 'getVimInfo', url);
    const info: Omit<VimInfo, 'password'> = {
      vimId: requireString(o, 'vimId', 'getVimInfo', url),
      name: optString(o.name) ?? '',
      url: requireString(o, 'url', 'getVimInfo', url),
      userName: optString(o.userName) ?? '',
      type: optString(o.type) ?? '',
    };
    for (const k of ['tenantId', 'tenant', 'vendor', 'version', 'description', 'domain', 'sslCacert', 'sslInsecure', 'status'] as const) {
      const v = optString(o[k]);
      if (v !== undefined) info[k] = v;
    }
    const password = optString(o.password) ?? '';
    this.secrets?.add(password);
    this.secrets?.addUrlCredentials(info.url);
    return withHiddenPassword(info, password);
  }

  /** `GET /api/catalog/v1/vnfpackages/{csarId}`; `packageInfo.vnfdModel` stays a JSON string. */
  async getVnfPackage(csarId: string, opts: CallOptions = {}): Promise<VnfPackage> {
    const path = pathOf`/api/catalog/v1/vnfpackages/${csarId}`;
    const { data } = await this.caller.request({ call: 'getVnfPackage', method: 'GET', path, expect: [200], ...opts });
    const url = this.caller.urlFor(path);
    const o = requireObject(data, 'getVnfPackage', url);
    const pi = requireObject(o.packageInfo, 'getVnfPackage', url, 'packageInfo');
    const model = pi.vnfdModel;
    const vnfdModel = typeof model === 'string' ? model : model && typeof model === 'object' ? JSON.stringify(model) : '';
    if (!vnfdModel) throw new NslcmError('package has no packageInfo.vnfdModel', { call: 'getVnfPackage', url });
    return {
      csarId: optString(o.csarId) ?? csarId,
      packageInfo: { ...(pi as object), vnfdId: optString(pi.vnfdId) ?? '', vnfdModel },
      imageInfo: Array.isArray(o.imageInfo) ? o.imageInfo : undefined,
    };
  }

  /** `POST /api/nslcm/v1/ns/grantvnf`. 201 → VIM and tenant; 409 → {@link GrantRefusedError}. */
  async grantVnf(req: GrantVnfRequest, opts: CallOptions = {}): Promise<GrantResult> {
    const path = '/api/nslcm/v1/ns/grantvnf';
    const { status, data } = await this.caller.request({
      call: 'grantVnf',
      method: 'POST',
      path,
      body: req,
      expect: [200, 201, 409],
      ...opts,
    });
    const url = this.caller.urlFor(path);
    if (status === 409) {
      const reason = errorText(data);
      throw new GrantRefusedError(reason, { call: 'grantVnf', url, status, bodyExcerpt: excerptBody(data) });
    }
    const o = requireObject(data, 'grantVnf', url);
    const vim = requireObject(o.vim, 'grantVnf', url, 'vim');
    const vimId = optString(vim.vimId) ?? optString(vim.vimid);
    if (!vimId) throw new NslcmError('grant answer has no vim.vimId', { call: 'grantVnf', url, status, bodyExcerpt: excerptBody(data) });
    const access = (vim.accessInfo ?? vim.accessinfo) as Record<string, unknown> | undefined;
    const tenant = access && typeof access === 'object' ? optString(access.tenant) : undefined;
    this.log.info('grant accepted', { vnfInstanceId: req.vnfInstanceId, jobId: req.jobId, vimId, tenant });
    return { vimId, tenant, raw: data };
  }

  /** `POST /api/nslcm/v1/ns/{vnfmid}/vnfs/{vnfInstanceId}/Notify`; NSLCM answers 201. */
  async notify(vnfmId: string, vnfInstanceId: string, body: NotifyBody, opts: CallOptions = {}): Promise<void> {
    const path = pathOf`/api/nslcm/v1/ns/${vnfmId}/vnfs/${vnfInstanceId}/Notify`;
    await this.caller.request({ call: 'notify', method: 'POST', path, body, expect: [200, 201, 202, 204], ...opts });
  }
}

function withHiddenPassword<T extends object>(info: T, password: string): T & { readonly password: string } {
  Object.defineProperty(info, 'password', { value: password, enumerable: false, writable: false });
  return info as T & { readonly password: string };
}

function requireObject(v: unknown, call: string, url: string, field = 'body'): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new NslcmError(`answer ${field} is not a JSON object`, { call, url, bodyExcerpt: excerptBody(v) });
}

function requireString(o: Record<string, unknown>, key: string, call: string, url: string): string {
  const v = o[key];
  if (typeof v === 'string' && v) return v;
  throw new NslcmError(`answer lacks "${key}"`, { call, url, bodyExcerpt: excerptBody(o) });
}

function optString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function errorText(data: unknown): string {
  if (data && typeof data === 'object' && 'error' in data) return String(data.error);
  return excerptBody(data) ?? 'no reason given';
}
