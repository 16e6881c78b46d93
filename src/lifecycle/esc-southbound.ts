import type { EscEventView } from '../esc/esc-event-view';
import { readDeployment, SERVICE_ACTIVE } from '../esc/esc-steps';
import type { Log } from '../logging/log';
import { vnfInfoFromRecord, type VnfInfo, type VnfRecord } from '../vnfs/vnf-record';
import { healVnf } from './heal';
import { instantiateVnf } from './instantiate';
import { operateVnf } from './operate';
import type { StoryDeps } from './operation-run';
import type { HealVnfRequest, InstantiateVnfRequest, OperateVnfRequest, ScaleVnfRequest, TerminateVnfRequest } from './requests';
import { scaleVnf } from './scale';
import type { OperationContext, Southbound } from './southbound';
import { terminateVnf } from './terminate';

/**
 * The ESC southbound: each lifecycle method runs one operation story against the ESC of the VNF's
 * VNFM. Methods are resumable: called again after a restart with the job's checkpoint, they skip
 * what was done (grant, deploy sent…) and reconcile from ESC's opdata.
 */
export class EscSouthbound implements Southbound {
  constructor(private readonly deps: StoryDeps<EscEventView>) {}

  instantiate(ctx: OperationContext<InstantiateVnfRequest>): Promise<void> {
    return instantiateVnf(ctx, this.deps);
  }

  terminate(ctx: OperationContext<TerminateVnfRequest>): Promise<void> {
    return terminateVnf(ctx, this.deps);
  }

  scale(ctx: OperationContext<ScaleVnfRequest>): Promise<void> {
    return scaleVnf(ctx, this.deps);
  }

  heal(ctx: OperationContext<HealVnfRequest>): Promise<void> {
    return healVnf(ctx, this.deps);
  }

  operate(ctx: OperationContext<OperateVnfRequest>): Promise<void> {
    return operateVnf(ctx, this.deps);
  }

  /** Query VNF: the record's data with vnfStatus from ESC's opdata (ACTIVE only when the service is active). */
  async query(vnf: VnfRecord, vnfmId: string, log: Log): Promise<VnfInfo> {
    const info = vnfInfoFromRecord(vnf);
    if (!vnf.escTenant || !vnf.escDeployment) return { ...info, vnfStatus: 'INACTIVE' };
    try {
      const channel = await this.deps.esc.channelFor(vnfmId);
      const dep = await readDeployment(channel, vnf.escTenant, vnf.escDeployment);
      return { ...info, vnfStatus: dep?.state === SERVICE_ACTIVE ? 'ACTIVE' : 'INACTIVE' };
    } catch (err) {
      log.warn('ESC opdata unavailable; answering from the VNF record', { error: (err as Error).message });
      return info;
    }
  }

  /** Closes every ESC connection. */
  async close(): Promise<void> {
    await this.deps.esc.close();
  }
}
