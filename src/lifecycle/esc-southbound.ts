import type { EscEventView } from '../esc/esc-event-view';
import { readDeployment } from '../esc/esc-steps';
import type { Log } from '../logging/log';
import { vnfInfoFromRecord, type VnfInfo, type VnfRecord } from '../vnfs/vnf-record';
import { healVnf } from './heal';
import { instantiateVnf } from './instantiate';
import { operateVnf } from './operate';
import { ShutdownAbort } from './lifecycle-errors';
import { sendFailedResult, type StoryDeps } from './operation-run';
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
    return this.guarded(ctx, () => instantiateVnf(ctx, this.deps));
  }

  terminate(ctx: OperationContext<TerminateVnfRequest>): Promise<void> {
    return this.guarded(ctx, () => terminateVnf(ctx, this.deps));
  }

  scale(ctx: OperationContext<ScaleVnfRequest>): Promise<void> {
    return this.guarded(ctx, () => scaleVnf(ctx, this.deps));
  }

  heal(ctx: OperationContext<HealVnfRequest>): Promise<void> {
    return this.guarded(ctx, () => healVnf(ctx, this.deps));
  }

  operate(ctx: OperationContext<OperateVnfRequest>): Promise<void> {
    return this.guarded(ctx, () => operateVnf(ctx, this.deps));
  }

  /** Query VNF: the record's data (vnfStatus: the instantiation state) with ESC's operational state from opdata. */
  async query(vnf: VnfRecord, vnfmId: string, log: Log): Promise<VnfInfo> {
    const info = vnfInfoFromRecord(vnf);
    if (!vnf.escTenant || !vnf.escDeployment || vnf.status === 'TERMINATED') return info;
    try {
      const channel = await this.deps.esc.channelFor(vnfmId);
      const dep = await readDeployment(channel, vnf.escTenant, vnf.escDeployment);
      return { ...info, escState: dep?.state ?? 'NOT_DEPLOYED' };
    } catch (err) {
      log.warn('ESC opdata unavailable; answering from the VNF record', { error: (err as Error).message });
      return info;
    }
  }

  /** Runs a story; when it fails (not when the service stops) after its START Notify, its RESULT is sent. */
  private async guarded<R>(ctx: OperationContext<R>, story: () => Promise<void>): Promise<void> {
    try {
      await story();
    } catch (err) {
      if (!(ctx.signal.reason instanceof ShutdownAbort) && (await sendFailedResult(this.deps.outbox, ctx))) {
        ctx.log.info('RESULT Notify sent for the failed operation', { error: (err as Error).message });
      }
      throw err;
    }
  }

  /** Closes every ESC connection. */
  async close(): Promise<void> {
    await this.deps.esc.close();
  }
}
