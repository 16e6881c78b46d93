import type { EscEventView } from '../esc/esc-event-view';
import type { NotifyOutboxPort } from '../lifecycle/ports';
import { ShutdownAbort } from '../lifecycle/lifecycle-errors';
import type { OperationContext, Southbound } from '../lifecycle/southbound';
import type { Log } from '../logging/log';
import type { DriverEventSink, VnfRef } from '../rules/driver-event';
import type { VnfRecord } from '../vnfs/vnf-record';
import { vnfcInventoryOf } from '../vnfs/vnfc-inventory';

/** The store lookups the taps make (the driver store fits, synchronous or not). */
export interface TapStore {
  getVnf(vnfInstanceId: string): VnfRecord | undefined | Promise<VnfRecord | undefined>;
  findByDeployment(tenant: string, deployment: string): VnfRecord | undefined | Promise<VnfRecord | undefined>;
}

/** The VNF of a record as driver events name it. */
export function vnfRefOf(vnf: VnfRecord): VnfRef {
  const type = vnf.attributes.vnfType;
  return {
    vnfInstanceId: vnf.vnfInstanceId,
    vnfInstanceName: vnf.vnfInstanceName,
    vnfType: typeof type === 'string' && type !== '' ? type : vnf.vnfdId,
    vnfmId: vnf.vnfmId,
    healingOwner: vnf.attributes.healingOwner === 'onap' ? 'onap' : 'esc',
  };
}

function timeOf(eventTime: string | undefined): number {
  const t = eventTime ? Date.parse(eventTime) : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

/**
 * Turns what the driver's I/O edges report into driver events for `sink`: escEvents (with the VNF, VDU and the
 * VM's NSLCM name looked up in the VNF record, in the order ESC sent them), ESC reachability changes (once per
 * change and ESC), failed jobs, reported inventory differences, VMs removed for good and terminated VNFs.
 */
export class DriverEventTaps {
  private escOrder: Promise<void> = Promise.resolve();
  private readonly reachable = new Map<string, boolean>();

  constructor(
    private readonly sink: DriverEventSink,
    private readonly store: TapStore,
    private readonly log: Log,
  ) {}

  /** An escEvent from the ESC at `escHost` (`host:port`). */
  escEvent(e: EscEventView, escHost: string): void {
    // Most escEvents of a lifecycle (deploy steps, undeploy) concern no rule: they cost no VNF lookup.
    if (this.sink.wantsEscEvent && !this.sink.wantsEscEvent(e.type, e.status)) return;
    this.escOrder = this.escOrder
      .then(async () => {
        const vnf = e.tenant && e.depname ? await this.store.findByDeployment(e.tenant, e.depname) : undefined;
        const vmId = e.vmSource?.vmid;
        const groups = (vnf?.attributes.escGroups ?? {}) as Record<string, { vduId?: string } | undefined>;
        const known = vnf && vmId ? vnfcInventoryOf(vnf)?.find((c) => c.vmId === vmId) : undefined;
        const vduId = e.vmGroup ? groups[e.vmGroup]?.vduId : undefined;
        const vmName = known?.vmName ?? e.vmSource?.vmname;
        this.sink.emit({
          kind: 'escEvent',
          type: e.type,
          status: e.status,
          statusMessage: e.statusMessage,
          escHost,
          ...(e.statusCode ? { statusCode: e.statusCode } : {}),
          ...(e.tenant ? { tenant: e.tenant } : {}),
          ...(e.depname ? { deployment: e.depname } : {}),
          ...(e.vmGroup ? { vmGroup: e.vmGroup } : {}),
          ...(vduId ? { vduId } : {}),
          ...(e.vmSource?.vmname ? { escVmName: e.vmSource.vmname } : known ? { escVmName: known.vmName } : {}),
          ...(vmId ? { vmId } : {}),
          ...(vmName ? { vmName } : {}),
          ...(e.vmTarget?.vmid ? { targetVmId: e.vmTarget.vmid } : {}),
          ...(vnf ? { vnf: vnfRefOf(vnf) } : {}),
          timeMs: timeOf(e.eventTime),
        });
      })
      .catch((err: unknown) => {
        this.log.error('escEvent not passed to the rules', { type: e.type, error: (err as Error).message });
      });
  }

  /** The ESC at `escHost` could not be reached; told to the rules only when it was reachable (or unknown) before. */
  escUnreachable(escHost: string, err: Error): void {
    if (this.reachable.get(escHost) === false) return;
    this.reachable.set(escHost, false);
    this.sink.emit({ kind: 'escUnreachable', escHost, reason: err.message, timeMs: Date.now() });
  }

  /** The ESC at `escHost` answers; told to the rules only when it was unreachable before. */
  escReachable(escHost: string): void {
    const before = this.reachable.get(escHost);
    this.reachable.set(escHost, true);
    if (before === false) this.sink.emit({ kind: 'escReachable', escHost, timeMs: Date.now() });
  }

  /**
   * A Notify outbox whose stored messages also become driver events, the VNF looked up once per message: each VNFC
   * REMOVED and not ADDED back under its name in the same message (an ESC recovery keeps the name) is a `vmRemoved`;
   * with `reconciler`, the message (a RESULT of the inventory reconciler) is also a `reconcileDifference`. A change
   * another replica already stored (same change id) is told by that replica.
   */
  notifyOutbox(outbox: NotifyOutboxPort, reconciler = false): NotifyOutboxPort {
    return {
      enqueue: async (msg) => {
        const stored = await outbox.enqueue(msg);
        // Bodies are stored in NSLCM's current (upper case) spelling; the outbox applies the dialect when it sends.
        const vnfcs = msg.body.affectedVnfc;
        const ids = (change: string): string[] => vnfcs.filter((v) => v.changeType === change).map((v) => v.vmId);
        const kept = new Set(vnfcs.filter((v) => v.changeType !== 'REMOVED').map((v) => v.vmName));
        const gone = vnfcs.filter((v) => v.changeType === 'REMOVED' && v.vmName && !kept.has(v.vmName));
        const vnf = stored.inserted && (reconciler || gone.length) ? await this.store.getVnf(msg.vnfInstanceId) : undefined;
        if (!vnf) return stored;
        const ref = vnfRefOf(vnf);
        for (const v of gone) {
          const vdu = v.vduId ? { vduId: v.vduId } : {};
          this.sink.emit({
            kind: 'vmRemoved',
            operation: msg.operation,
            vmName: v.vmName,
            vmId: v.vmId,
            ...vdu,
            vnf: ref,
            timeMs: Date.now(),
          });
        }
        if (reconciler) {
          const { operation } = msg;
          this.sink.emit({
            kind: 'reconcileDifference',
            operation,
            added: ids('ADDED'),
            removed: ids('REMOVED'),
            vnf: ref,
            timeMs: Date.now(),
          });
        }
        return stored;
      },
    };
  }

  /** A southbound whose failed jobs (not those stopped by a shutdown) are also told as driver events. */
  southbound(inner: Southbound): Southbound {
    const watch = <R>(operation: string, run: (ctx: OperationContext<R>) => Promise<void>) => {
      return async (ctx: OperationContext<R>): Promise<void> => {
        try {
          await run(ctx);
          if (operation === 'terminate') {
            this.sink.emit({ kind: 'vnfTerminated', jobId: ctx.job.jobId, vnf: vnfRefOf(ctx.vnf), timeMs: Date.now() });
          }
        } catch (err) {
          if (!(ctx.signal.reason instanceof ShutdownAbort)) {
            this.sink.emit({
              kind: 'jobFailed',
              operation,
              jobId: ctx.job.jobId,
              message: (err as Error).message,
              ...(typeof (err as { code?: unknown }).code === 'string' ? { errorCode: (err as { code: string }).code } : {}),
              vnf: vnfRefOf(ctx.vnf),
              timeMs: Date.now(),
            });
          }
          throw err;
        }
      };
    };
    return {
      instantiate: watch('instantiate', (ctx) => inner.instantiate(ctx)),
      terminate: watch('terminate', (ctx) => inner.terminate(ctx)),
      scale: watch('scale', (ctx) => inner.scale(ctx)),
      heal: watch('heal', (ctx) => inner.heal(ctx)),
      operate: watch('operate', (ctx) => inner.operate(ctx)),
      query: (vnf, vnfmId, log) => inner.query(vnf, vnfmId, log),
      // Once ESC is closed no escEvent comes: the ones being looked up are passed on before the store closes.
      close: async () => {
        await inner.close?.();
        await this.settled();
      },
    };
  }

  /** Waits for the escEvents being looked up. */
  async settled(): Promise<void> {
    await this.escOrder;
  }
}
