import { GrantRefusedError } from '../nslcm/nslcm-errors';
import { LIFECYCLE_OPERATIONS, type GrantResult, type GrantVnfRequest } from '../nslcm/nslcm-types';
import type { GrantPolicy } from './standalone-config';
import type { StoredGrant } from './standalone-store';

/** Where errors of the local grant say the call went (no network is involved). */
export const LOCAL_GRANT_URL = 'local:/api/nslcm/v1/ns/grantvnf';

/** An accepted grant as the ledger keeps it: the answer and the VNF's VM count after the operation. */
export interface GrantRecord {
  jobId: string;
  vnfInstanceId: string;
  vimId: string;
  operation: string;
  answer: StoredGrant;
  vmsAfter: number;
}

/**
 * Where the decisions and the VMs granted per VIM are kept (StandaloneStore in the driver's SQLite file).
 * Asynchronous, so that a networked database can implement it.
 */
export interface GrantLedger {
  /** The decision already taken for `jobId`, if any. */
  findGrant(jobId: string): Promise<StoredGrant | undefined>;
  /** VMs granted now in `vimId` over all VNFs, and those of `vnfInstanceId`. */
  usage(vimId: string, vnfInstanceId: string): Promise<{ total: number; ofVnf: number }>;
  /** Records an accepted grant and the VNF's VM count after it, atomically. */
  recordGrant(g: GrantRecord): Promise<void>;
}

/**
 * Decides grants from `grants.json` the way an operator's NSLCM would answer them: 201 with the
 * VIM and its tenant, or 409 (here a {@link GrantRefusedError}) when the VIM is not configured, the
 * operation is not allowed there, or the VMs granted in the VIM would exceed `maxVms`.
 * One decision per job: asking again for the same job returns the first answer. Decisions are taken one at a
 * time, so that two grants read and count a VIM's usage one after the other.
 */
export class LocalGrantDecider {
  private decided: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly policies: readonly GrantPolicy[],
    private readonly store: GrantLedger,
  ) {}

  /** Grants or refuses `req`; malformed requests are refused as NSLCM's serializer refuses them. */
  decide(req: GrantVnfRequest): Promise<GrantResult> {
    const decision = this.decided.then(() => this.decideNow(req));
    this.decided = decision.catch(() => undefined);
    return decision;
  }

  private async decideNow(req: GrantVnfRequest): Promise<GrantResult> {
    const problems = requestProblems(req);
    if (problems.length > 0) throw refuse(problems.join('; '));
    const kept = await this.store.findGrant(req.jobId);
    if (kept) return answer(kept);
    const vimId = vimIdOf(req);
    const policy = this.policies.find((p) => p.vimId === vimId);
    if (!policy)
      throw refuse(
        `VIM ${vimId} is not in the standalone grant configuration (known: ${this.policies.map((p) => p.vimId).join(', ') || 'none'})`,
      );
    if (!policy.allowedOperations.includes(req.lifecycleOperation)) {
      throw refuse(`operation ${req.lifecycleOperation} is not allowed in VIM ${vimId} (allowed: ${policy.allowedOperations.join(', ')})`);
    }
    const { total, ofVnf } = await this.store.usage(vimId, req.vnfInstanceId);
    const after = vmsAfter(req, ofVnf);
    const totalAfter = total - ofVnf + after;
    if (totalAfter > policy.maxVms) {
      throw refuse(`VIM ${vimId} would hold ${totalAfter} VMs, more than its limit of ${policy.maxVms} (now ${total})`);
    }
    const granted = { vimId, tenant: policy.tenant };
    await this.store.recordGrant({
      jobId: req.jobId,
      vnfInstanceId: req.vnfInstanceId,
      vimId,
      operation: req.lifecycleOperation,
      answer: granted,
      vmsAfter: after,
    });
    return answer(granted);
  }
}

/** VMs the VNF holds once the operation is done: instantiate starts from zero, terminate ends at zero. */
function vmsAfter(req: GrantVnfRequest, current: number): number {
  if (req.lifecycleOperation === 'Terminate') return 0;
  const base = req.lifecycleOperation === 'Instantiate' ? 0 : current;
  return Math.max(0, base + req.addResource.length - req.removeResource.length);
}

function answer(g: { vimId: string; tenant: string }): GrantResult {
  return { vimId: g.vimId, tenant: g.tenant, raw: { vim: { vimId: g.vimId, accessInfo: { tenant: g.tenant } } } };
}

function refuse(reason: string): GrantRefusedError {
  return new GrantRefusedError(reason, {
    call: 'grantVnf',
    url: LOCAL_GRANT_URL,
    status: 409,
    bodyExcerpt: JSON.stringify({ error: reason }),
  });
}

/** `owner_region` from the top-level `vimId` object, else from `additionalParam.vimid` (a JSON string). */
function vimIdOf(req: GrantVnfRequest): string {
  let ref: unknown = req.vimId;
  if (!isRegion(ref)) {
    try {
      ref = JSON.parse(req.additionalParam?.vimid ?? '');
    } catch {
      ref = undefined;
    }
  }
  if (!isRegion(ref)) throw refuse('the request names no VIM (vimId or additionalParam.vimid with cloud_owner and cloud_regionid)');
  return `${ref.cloud_owner}_${ref.cloud_regionid}`;
}

function isRegion(v: unknown): v is { cloud_owner: string; cloud_regionid: string } {
  const o = v as { cloud_owner?: unknown; cloud_regionid?: unknown } | undefined;
  return !!o && typeof o === 'object' && typeof o.cloud_owner === 'string' && typeof o.cloud_regionid === 'string';
}

function requestProblems(req: GrantVnfRequest): string[] {
  const problems: string[] = [];
  if (typeof req.vnfInstanceId !== 'string' || req.vnfInstanceId === '') problems.push('vnfInstanceId: this field is required');
  if (typeof req.jobId !== 'string' || req.jobId === '') problems.push('jobId: this field is required');
  if (!(LIFECYCLE_OPERATIONS as readonly string[]).includes(req.lifecycleOperation)) {
    problems.push(`lifecycleOperation: "${String(req.lifecycleOperation)}" is not a valid choice`);
  }
  for (const key of ['addResource', 'removeResource'] as const) {
    const list: unknown = req[key];
    if (!Array.isArray(list)) problems.push(`${key}: this field is required`);
    else if (list.some((r: { type?: unknown }) => !r || r.type !== 'VDU')) problems.push(`${key}: every item needs type VDU`);
  }
  for (const [k, v] of Object.entries(req.additionalParam ?? {})) {
    if (typeof v !== 'string') problems.push(`additionalParam.${k}: not a valid string`);
  }
  return problems;
}
