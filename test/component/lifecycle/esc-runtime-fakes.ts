import fs from 'node:fs';
import path from 'node:path';
import type { JobReporter, OperationContext } from '../../../src/lifecycle/southbound';
import type { VnfPatch, VnfRecord } from '../../../src/vnfs/vnf-record';
import { silentLog } from '../../../src/logging/log';
import type { GrantVnfRequest, NotifyBody } from '../../../src/nslcm/nslcm-types';
import type { NotifyOutboxPort, NslcmPort } from '../../../src/lifecycle/ports';

/** The two-VDU VNFD fixture, as the catalog returns it (a JSON string). */
export function vnfdModelText(): string {
  return fs.readFileSync(path.join(__dirname, '../../fixtures/esc/vnfd-two-vdus.json'), 'utf8');
}

/** Records grants and answers with a VIM and tenant; refuses when `refuse` is set. */
export function buildNslcm(overrides: { refuse?: string; tenant?: string } = {}): NslcmPort & { grants: GrantVnfRequest[] } {
  const grants: GrantVnfRequest[] = [];
  return {
    grants,
    getVnfPackage: async (csarId) => ({ csarId, packageInfo: { vnfdId: 'fw-lb-1.0', vnfdModel: vnfdModelText() } }),
    grantVnf: async (req) => {
      grants.push(req);
      if (overrides.refuse) throw new Error(`grant refused by NSLCM: ${overrides.refuse}`);
      return { vimId: 'owner1_region1', tenant: overrides.tenant ?? 'tenant1', raw: {} };
    },
    getVimInfo: (owner, region) =>
      Promise.reject(new Error(`no VIM record for ${owner}_${region}: the ESC connector is expected to exist`)),
  };
}

/** Records what would go to the durable outbox. */
export function buildOutbox(): NotifyOutboxPort & { sent: Array<{ status: string; body: NotifyBody; jobId: string }> } {
  const sent: Array<{ status: string; body: NotifyBody; jobId: string }> = [];
  return {
    sent,
    enqueue: async (m) => {
      await Promise.resolve();
      sent.push({ status: m.status, body: m.body, jobId: m.jobId });
      return { inserted: true };
    },
  };
}

/** An in-memory VNF record holder. */
export function buildVnf(overrides: Partial<VnfRecord> = {}): { get(): VnfRecord; update(p: VnfPatch): VnfRecord } {
  let vnf: VnfRecord = {
    vnfInstanceId: 'vnf-0001',
    vnfmId: 'vnfm-1',
    vnfInstanceName: 'fw_lb_1',
    vnfdId: 'fw-lb-1.0',
    vnfPackageId: 'csar-1',
    status: 'INSTANTIATING',
    attributes: {},
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
  return {
    get: () => vnf,
    update: (p) => {
      vnf = { ...vnf, ...p, updatedAt: new Date().toISOString() };
      return vnf;
    },
  };
}

/** An operation context whose job records progress and checkpoints in memory. */
export function buildContext<R>(
  request: R,
  vnf: { get(): VnfRecord; update(p: VnfPatch): VnfRecord },
  opts: { jobId?: string; state?: Record<string, unknown>; resumed?: boolean; signal?: AbortSignal } = {},
): OperationContext<R> & { progress: Array<[number, string]>; checkpoints: Record<string, unknown>[] } {
  const progress: Array<[number, string]> = [];
  const checkpoints: Record<string, unknown>[] = [];
  let state = opts.state;
  const job: JobReporter = {
    jobId: opts.jobId ?? 'job-1',
    progress: async (p, d) => {
      await Promise.resolve();
      progress.push([p, d]);
    },
    warn: (text) => progress.push([-1, `warning: ${text}`]),
    checkpoint: async (s) => {
      state = s;
      await Promise.resolve();
      checkpoints.push(s);
    },
    get state() {
      return state;
    },
  };
  return {
    job,
    vnf: vnf.get(),
    vnfmId: 'vnfm-1',
    request,
    requestId: 'req-1',
    log: silentLog,
    signal: opts.signal ?? new AbortController().signal,
    resumed: opts.resumed ?? false,
    updateVnf: async (p) => {
      await Promise.resolve();
      return vnf.update(p);
    },
    progress,
    checkpoints,
  };
}
