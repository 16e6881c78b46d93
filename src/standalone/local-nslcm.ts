import fs from 'node:fs';
import path from 'node:path';
import type { Log } from '../logging/log';
import { silentLog } from '../logging/log';
import type { EnumDialect } from '../nslcm/enum-dialect';
import { NslcmError } from '../nslcm/nslcm-errors';
import type { GrantResult, GrantVnfRequest, NotifyBody, VimInfo, VnfmInfo, VnfPackage } from '../nslcm/nslcm-types';
import { AbortedError } from '../nslcm/retry-policy';
import { LocalGrantDecider, type GrantLedger } from './local-grants';
import { validateNotifyBody } from './notify-validator';
import type { StandaloneConfig } from './standalone-config';
import type { StoredNotification } from './standalone-store';

/**
 * Where the received Notify messages are kept (StandaloneStore in the driver's SQLite file). Asynchronous, so
 * that a networked database can implement it.
 */
export interface NotificationLog {
  /** Keeps one accepted Notify; resolves to its id once it is stored. */
  addNotification(n: Omit<StoredNotification, 'id' | 'receivedAt'>): Promise<number>;
  /** Notify messages in arrival order, all or those of one VNF instance. */
  listNotifications(vnfInstanceId?: string): Promise<StoredNotification[]>;
}

/** Settings of {@link LocalNslcm}. */
export interface LocalNslcmOptions {
  config: StandaloneConfig;
  /** The received Notify messages and the grant ledger. */
  store: NotificationLog & GrantLedger;
  /** Enum spelling Notify bodies must use (NOTIFY_ENUM_DIALECT). */
  dialect?: EnumDialect;
  log?: Log;
}

/** Per-call options, as the NslcmClient takes them. */
export interface LocalCallOptions {
  signal?: AbortSignal;
  noRetry?: boolean;
}

const SAFE_ID = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

/**
 * NSLCM and the catalog answered from local files (standalone mode): VNFMs and VIMs from
 * `vnfms.json` / `vims.json`, packages from `packages/<csarId>/`, grants decided from `grants.json`,
 * Notify bodies validated as NSLCM validates them and kept in SQLite. It has the methods of
 * NslcmClient the runtime uses, with the same errors: unknown ids are {@link NslcmError}s with
 * status 404, a refused grant a GrantRefusedError (409), an invalid Notify an NslcmError with 500.
 */
export class LocalNslcm {
  private readonly grants: LocalGrantDecider;
  private readonly store: NotificationLog;
  private readonly log: Log;

  constructor(private readonly opts: LocalNslcmOptions) {
    this.store = opts.store;
    this.grants = new LocalGrantDecider(opts.config.grants, opts.store);
    this.log = (opts.log ?? silentLog).child({ component: 'local-nslcm' });
  }

  /** As `GET /api/nslcm/v1/vnfms/{vnfmid}`; the password stays non-enumerable. */
  getVnfmInfo(vnfmId: string, opts: LocalCallOptions = {}): Promise<VnfmInfo> {
    return answer(opts, 'getVnfmInfo', () => {
      const vnfm = this.opts.config.vnfms.find((v) => v.vnfmId === vnfmId);
      if (!vnfm) throw notFound('getVnfmInfo', `/api/nslcm/v1/vnfms/${vnfmId}`, `VNFM ${vnfmId} is not in vnfms.json`);
      const info = { vnfmId: vnfm.vnfmId, name: vnfm.name, type: vnfm.type, vimId: vnfm.vimId, url: vnfm.url, userName: vnfm.userName };
      return hide(info, vnfm.password);
    });
  }

  /** As `GET /api/nslcm/v1/vims/{cloudOwner}/{cloudRegionId}`. */
  getVimInfo(cloudOwner: string, cloudRegionId: string, opts: LocalCallOptions = {}): Promise<VimInfo> {
    return answer(opts, 'getVimInfo', () => {
      const vim = this.opts.config.vims.find((v) => v.cloudOwner === cloudOwner && v.cloudRegionId === cloudRegionId);
      if (!vim)
        throw notFound(
          'getVimInfo',
          `/api/nslcm/v1/vims/${cloudOwner}/${cloudRegionId}`,
          `VIM ${cloudOwner}_${cloudRegionId} is not in vims.json`,
        );
      const { cloudOwner: _o, cloudRegionId: _r, ...rest } = vim;
      return hide({ ...rest, vimId: `${cloudOwner}_${cloudRegionId}` }, vim.password);
    });
  }

  /** As `GET /api/catalog/v1/vnfpackages/{csarId}`: `packages/<csarId>/vnf-package.json` (+ `vnfd-model.json`). */
  getVnfPackage(csarId: string, opts: LocalCallOptions = {}): Promise<VnfPackage> {
    return answer(opts, 'getVnfPackage', () => {
      const url = `/api/catalog/v1/vnfpackages/${csarId}`;
      if (!SAFE_ID.test(csarId)) throw notFound('getVnfPackage', url, `"${csarId}" is not a package id`);
      const dir = path.join(this.opts.config.dir, 'packages', csarId);
      const descriptor = readPackageFile(dir, 'vnf-package.json', url);
      if (descriptor === undefined) throw notFound('getVnfPackage', url, `package ${csarId} is not in packages/`);
      const pi = (descriptor.packageInfo ?? {}) as Record<string, unknown>;
      const model = pi.vnfdModel ?? readPackageFile(dir, 'vnfd-model.json', url);
      if (model === undefined || model === null)
        throw new NslcmError(`package ${csarId} has no VNFD model`, { call: 'getVnfPackage', url });
      const vnfdModel = typeof model === 'string' ? model : JSON.stringify(model);
      const vnfdId = typeof pi.vnfdId === 'string' ? pi.vnfdId : '';
      return {
        csarId,
        packageInfo: { ...pi, vnfdId, vnfdModel },
        imageInfo: Array.isArray(descriptor.imageInfo) ? descriptor.imageInfo : undefined,
      };
    });
  }

  /** As `POST /api/nslcm/v1/ns/grantvnf`, decided from `grants.json`. */
  async grantVnf(req: GrantVnfRequest, opts: LocalCallOptions = {}): Promise<GrantResult> {
    checkAbort(opts, 'grantVnf');
    try {
      const granted = await this.grants.decide(req);
      this.log.info('grant accepted', {
        vnfInstanceId: req.vnfInstanceId,
        jobId: req.jobId,
        operation: req.lifecycleOperation,
        vimId: granted.vimId,
        tenant: granted.tenant,
      });
      return granted;
    } catch (err) {
      this.log.warn('grant refused', { vnfInstanceId: req.vnfInstanceId, jobId: req.jobId, error: (err as Error).message });
      throw err;
    }
  }

  /** As `POST /api/nslcm/v1/ns/{vnfmid}/vnfs/{vnfInstanceId}/Notify`: validated, then kept. */
  async notify(vnfmId: string, vnfInstanceId: string, body: NotifyBody, opts: LocalCallOptions = {}): Promise<void> {
    checkAbort(opts, 'notify');
    const url = `/api/nslcm/v1/ns/${vnfmId}/vnfs/${vnfInstanceId}/Notify`;
    const problems = validateNotifyBody(body, this.opts.dialect);
    if (problems.length > 0) {
      throw new NslcmError(`Notify rejected: ${problems.join('; ')}`, {
        call: 'notify',
        url,
        status: 500,
        bodyExcerpt: problems.join('; '),
      });
    }
    const b = body as unknown as Record<string, unknown>;
    await this.store.addNotification({
      vnfmId,
      vnfInstanceId,
      jobId: typeof b.jobId === 'string' ? b.jobId : null,
      status: String(b.status),
      operation: String(b.operation),
      body,
    });
    this.log.info('Notify received', { vnfmId, vnfInstanceId, jobId: b.jobId, status: b.status, operation: b.operation });
  }

  /** Notify messages received so far, in arrival order (all, or those of one VNF instance). */
  listNotifications(vnfInstanceId?: string): Promise<StoredNotification[]> {
    return this.store.listNotifications(vnfInstanceId);
  }
}

function readPackageFile(dir: string, file: string, url: string): Record<string, unknown> | undefined {
  const full = path.join(dir, file);
  if (!fs.existsSync(full)) return undefined;
  try {
    const parsed = JSON.parse(fs.readFileSync(full, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    // A file system error's message holds the file's path; the job's text (which NSLCM reads) gets its code only.
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new NslcmError(`package file ${file} cannot be read: ${reason}`, { call: 'getVnfPackage', url, cause: err });
  }
}

function notFound(call: string, url: string, reason: string): NslcmError {
  return new NslcmError(`404 ${reason}`, { call, url: `local:${url}`, status: 404, bodyExcerpt: JSON.stringify({ error: reason }) });
}

function checkAbort(opts: LocalCallOptions, call: string): void {
  if (opts.signal?.aborted) throw new AbortedError(call);
}

/** Runs a local answer as NSLCM's would arrive: settled later, a throw (or an aborted call) becoming a rejection. */
function answer<T>(opts: LocalCallOptions, call: string, run: () => T): Promise<T> {
  try {
    checkAbort(opts, call);
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

function hide<T extends object>(info: T, password: string): T & { readonly password: string } {
  Object.defineProperty(info, 'password', { value: password, enumerable: false, writable: false });
  return info as T & { readonly password: string };
}
