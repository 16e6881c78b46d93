import type { EscEventView } from '../esc/esc-event-view';
import { UNSOLICITED_EVENT_TYPES } from '../esc/esc-event-router';
import { readDeployment } from '../esc/esc-steps';
import type { Job } from '../jobs/job-model';
import type { Log } from '../logging/log';
import type { VnfPatch, VnfRecord } from '../vnfs/vnf-record';
import { VNFC_INVENTORY_ATTRIBUTE, vnfcInventoryOf } from '../vnfs/vnfc-inventory';
import { buildAffectedArrays, scopeOfVnf, vimIdStringOf } from './affected-builder';
import type { EscPort, EscSessionPort, NotifyOutboxPort } from './ports';
import { diffInventory, diffJobId, escChangeId, operationOfDiff, vmViewOfEntry, vnfcEntriesFor } from './vnfc-inventory-diff';

/** The store as the reconciler uses it (the driver store satisfies it, synchronous or not). */
export interface InventoryStorePort {
  getVnf(vnfInstanceId: string): VnfRecord | undefined | Promise<VnfRecord | undefined>;
  updateVnf(vnfInstanceId: string, patch: VnfPatch): VnfRecord | Promise<VnfRecord>;
  findByDeployment(tenant: string, deployment: string): VnfRecord | undefined | Promise<VnfRecord | undefined>;
  vnfsWithDeployment(): VnfRecord[] | Promise<VnfRecord[]>;
  unfinishedJobs(): Job[] | Promise<Job[]>;
}

/** Counters the reconciler keeps (the driver's `Metrics` fits). */
export interface InventoryMetrics {
  escInitiatedFailures: { inc(labels: { type: string }): void };
  inventoryChanges: { inc(labels: { operation: string }): void };
}

/** Inputs of {@link InventoryReconciler}. */
export interface InventoryReconcilerOptions {
  store: InventoryStorePort;
  esc: EscPort<EscEventView>;
  outbox: NotifyOutboxPort;
  log: Log;
  /** Pause between two passes over every owned deployment, ms. */
  intervalMs: number;
  metrics?: InventoryMetrics;
  /**
   * When replicas share the store: a pass reconciles an ESC's deployments only where this replica is responsible for
   * the ESC (holds its lock, kept from pass to pass); absent: every ESC.
   */
  responsibility?: { claim(esc: string): Promise<boolean> };
}

/** What one reconciliation of a VNF is told besides opdata. */
export interface ReconcileHow {
  /** Error marks by VM id, overriding what the VM state says (what ESC said of a failure). */
  errors?: ReadonlyMap<string, string>;
  /** The ESC event behind it: the id its Notify carries. */
  changeId?: string;
  /**
   * Only the VNFCs' error marks are brought up to date; when VMs came or went meanwhile, nothing is done (the
   * workflow's end or the next pass reports the change and brings the marks with it).
   */
  marksOnly?: boolean;
}

/** VNF states in which NSLCM holds the VNF's VNFCs and only a job of ours changes them (a FAILED instantiate reported none). */
const SETTLED = new Set(['ACTIVE', 'INACTIVE']);

/**
 * Keeps NSLCM's inventory of each VNF true to ESC. NSLCM learns of VNFCs only from our Notify bodies, so whenever
 * ESC may have changed a deployment on its own — an ESC-initiated workflow ended, the escEvent session came back
 * after a loss, the service started, and every `intervalMs` — the deployment's opdata is compared with the VNFCs
 * the VNF record says NSLCM was told of, and each difference is reported once: VMs gone REMOVED and new VMs ADDED in
 * one RESULT Notify (a replaced VM is both). The Notify is queued in the durable outbox before the record is
 * updated, under a jobId derived from the change, so a restart in between neither loses nor repeats it. A VNF with
 * a job running is left to that job, which reports its own changes.
 *
 * Each pass opens the ESC channel of every VNFM that owns a deployment, so that its escEvent subscription is up
 * from start-up on, not from the first request; a channel ESC closed for good is opened again by the next pass.
 */
export class InventoryReconciler {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private passAgain = false;
  private stopped = false;
  private readonly perVnf = new Map<string, Promise<void>>();

  constructor(private readonly opts: InventoryReconcilerOptions) {}

  /** Runs a first pass now and then one every `intervalMs`. */
  start(): void {
    this.requestPass('start-up');
    this.timer = setInterval(() => this.requestPass('periodic'), this.opts.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for the work in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
    await Promise.allSettled([...this.perVnf.values()]);
  }

  /** The escEvent session of an ESC came back: what it sent meanwhile was missed. */
  onReconnected(): void {
    this.requestPass('reconnect');
  }

  /**
   * An escEvent of an ESC-initiated workflow (recovery, elastic scaling), or a VM_ALIVE no job waited on, from the ESC at `esc`
   * (`host:port`). Only the replica responsible for that ESC is handed it (see esc-event-filter); should the
   * responsibility move meanwhile and two replicas handle it, the Notify it leads to carries an id derived from the
   * event, stored once.
   */
  onEscEvent(event: EscEventView, esc = ''): void {
    if (!event.tenant || !event.depname) return;
    if (UNSOLICITED_EVENT_TYPES.has(event.type)) void this.handleEvent(event, event.tenant, event.depname, escChangeId(esc, event));
    else if (event.type === 'VM_ALIVE' && event.status === 'FAILURE') void this.handleVmDown(event, event.tenant, event.depname);
  }

  /**
   * A VM_ALIVE FAILURE outside a job: ESC's monitor found a VM dead and, with no recovery rule (healing owner onap),
   * leaves it down. The VNFC is marked in error at once rather than at the next pass. NSLCM is told nothing: should
   * VMs have come or gone meanwhile (an ESC workflow under way), that is left to the workflow's end or the next
   * pass. A SUCCESS (alive again after a reboot no job asked for) is left to the next pass, which clears the mark:
   * every deploy's VM_ALIVE would otherwise cost a replica that runs no job of it a VNF lookup.
   */
  private async handleVmDown(event: EscEventView, tenant: string, depname: string): Promise<void> {
    try {
      const vmId = event.vmSource?.vmid;
      const vnf = vmId ? await this.opts.store.findByDeployment(tenant, depname) : undefined;
      const known = vnf && vnfcInventoryOf(vnf)?.find((e) => e.vmId === vmId);
      if (!vnf || !vmId || !known) return;
      this.opts.log.info('ESC reports a VM not alive', { vnfInstanceId: vnf.vnfInstanceId, vmId, message: event.statusMessage });
      const errors = new Map([[vmId, event.statusMessage || 'ESC reports the VM not alive']]);
      await this.reconcile(vnf.vnfInstanceId, { errors, marksOnly: true });
    } catch (err) {
      this.opts.log.error('VM_ALIVE FAILURE not handled; the next pass reconciles', { error: (err as Error).message });
    }
  }

  /** Starts a pass, or asks for one more after the pass in progress. */
  requestPass(reason: string): void {
    if (this.stopped) return;
    if (this.pass) {
      this.passAgain = true;
      return;
    }
    this.pass = this.runPass(reason)
      .catch((err: unknown) => {
        this.opts.log.error('inventory reconciliation pass failed', { reason, error: (err as Error).message });
      })
      .finally(() => {
        this.pass = undefined;
        if (this.passAgain && !this.stopped) {
          this.passAgain = false;
          this.requestPass('again');
        }
      });
  }

  /** Reconciles one VNF now (after any reconciliation of it in progress). */
  reconcile(vnfInstanceId: string, how: ReconcileHow = {}): Promise<void> {
    const prev = this.perVnf.get(vnfInstanceId) ?? Promise.resolve();
    const next = prev
      .then(() => this.reconcileOne(vnfInstanceId, how))
      .catch((err: unknown) => {
        this.opts.log.warn('inventory reconciliation failed; the next pass tries again', { vnfInstanceId, error: (err as Error).message });
      })
      .finally(() => {
        if (this.perVnf.get(vnfInstanceId) === next) this.perVnf.delete(vnfInstanceId);
      });
    this.perVnf.set(vnfInstanceId, next);
    return next;
  }

  private async handleEvent(event: EscEventView, tenant: string, depname: string, changeId: string): Promise<void> {
    try {
      const vnf = await this.opts.store.findByDeployment(tenant, depname);
      if (!vnf) {
        this.opts.log.debug('ESC-initiated event on a deployment we do not own', { type: event.type, depname });
        return;
      }
      const errors = new Map<string, string>();
      if (event.status !== 'SUCCESS') {
        this.opts.log.warn('ESC-initiated workflow failed', {
          type: event.type,
          vnfInstanceId: vnf.vnfInstanceId,
          vmId: event.vmSource?.vmid,
          message: event.statusMessage,
        });
        this.opts.metrics?.escInitiatedFailures.inc({ type: event.type });
        // A failed recovery names the VM ESC redeployed (vm_target) when it got that far, else the one it recovered.
        const failedVm = event.vmTarget?.vmid ?? event.vmSource?.vmid;
        if (event.type === 'VM_RECOVERY_COMPLETE' && failedVm) errors.set(failedVm, event.statusMessage || 'ESC could not recover the VM');
      }
      await this.reconcile(vnf.vnfInstanceId, { errors, changeId });
    } catch (err) {
      this.opts.log.error('ESC-initiated event not handled; the next pass reconciles', { type: event.type, error: (err as Error).message });
    }
  }

  private async runPass(reason: string): Promise<void> {
    const vnfs = (await this.opts.store.vnfsWithDeployment()).filter((v) => SETTLED.has(v.status));
    // VNFs with a job running are left to it (checked again per VNF, as a job may start meanwhile).
    const busy = new Set((await this.opts.store.unfinishedJobs()).map((j) => j.vnfInstanceId));
    const byVnfm = new Map<string, VnfRecord[]>();
    for (const v of vnfs) byVnfm.set(v.vnfmId, [...(byVnfm.get(v.vnfmId) ?? []), v]);
    // VNFs per ESC (several VNFMs may name the same one), each ESC reconciled under its own lock.
    const byEsc = new Map<string, VnfRecord[]>();
    for (const [vnfmId, owned] of byVnfm) {
      if (this.stopped) return;
      try {
        // Opening the channel subscribes to the ESC's escEvents.
        const channel = await this.opts.esc.channelFor(vnfmId);
        byEsc.set(channel.address, [...(byEsc.get(channel.address) ?? []), ...owned]);
      } catch (err) {
        this.opts.log.warn('ESC of VNFM unreachable; its deployments are reconciled on the next pass', {
          vnfmId,
          reason,
          error: (err as Error).message,
        });
      }
    }
    for (const [esc, owned] of byEsc) {
      if (this.stopped) return;
      if (this.opts.responsibility && !(await this.opts.responsibility.claim(esc))) {
        this.opts.log.debug('another replica is responsible for this ESC', { esc, reason });
        continue;
      }
      for (const v of owned) if (!busy.has(v.vnfInstanceId)) await this.reconcile(v.vnfInstanceId);
    }
  }

  private async reconcileOne(vnfInstanceId: string, { errors, changeId, marksOnly = false }: ReconcileHow): Promise<void> {
    if (this.stopped) return;
    const { store, log } = this.opts;
    const vnf = await store.getVnf(vnfInstanceId);
    if (!vnf?.escTenant || !vnf.escDeployment || !SETTLED.has(vnf.status)) return;
    if ((await store.unfinishedJobs()).some((j) => j.vnfInstanceId === vnfInstanceId)) return;
    const channel: EscSessionPort<EscEventView> = await this.opts.esc.channelFor(vnf.vnfmId);
    const dep = await readDeployment(channel, vnf.escTenant, vnf.escDeployment);
    if (!dep) {
      log.warn('ESC no longer holds the deployment of this VNF', { vnfInstanceId, deployment: vnf.escDeployment });
      return;
    }
    const scope = scopeOfVnf(vnf, vimIdStringOf(vnf), vnf.escTenant);
    const known = vnfcInventoryOf(vnf);
    if (!known) {
      // A record from before the inventory was kept: what ESC holds now is what NSLCM was told at the last job.
      await this.saveInventory(vnf, vnfcEntriesFor(dep.vms, scope.groups, [], errors));
      return;
    }
    const diff = diffInventory(known, dep.vms, scope.groups, errors);
    if (marksOnly && (diff.added.length > 0 || diff.removed.length > 0)) return;
    if (diff.added.length > 0 || diff.removed.length > 0) {
      const operation = operationOfDiff(diff);
      const jobId = diffJobId(vnfInstanceId, diff);
      const affected = buildAffectedArrays(
        [
          { changeType: 'REMOVED', vms: diff.removed.map(vmViewOfEntry) },
          { changeType: 'ADDED', vms: diff.added },
        ],
        scope,
      );
      const queued = await this.opts.outbox.enqueue({
        vnfmId: vnf.vnfmId,
        vnfInstanceId,
        jobId,
        status: 'RESULT',
        operation,
        body: { status: 'RESULT', operation, jobId, ...affected },
        changeId,
      });
      if (!queued.inserted && queued.jobId !== undefined && queued.jobId !== jobId) {
        // Another replica reported this ESC event (as it saw it) and keeps the record; the next pass checks what is left.
        log.info('ESC change already reported by another replica', { vnfInstanceId, changeId, reportedAs: queued.jobId });
        return;
      }
      this.opts.metrics?.inventoryChanges.inc({ operation });
      log.info('ESC changed the VMs of a VNF on its own; reported to NSLCM', {
        vnfInstanceId,
        operation,
        jobId,
        added: diff.added.map((v) => v.vmId),
        removed: diff.removed.map((e) => e.vmId),
      });
    }
    if (diff.changed) await this.saveInventory(vnf, diff.next);
  }

  private async saveInventory(vnf: VnfRecord, entries: unknown[]): Promise<void> {
    await this.opts.store.updateVnf(vnf.vnfInstanceId, { attributes: { ...vnf.attributes, [VNFC_INVENTORY_ATTRIBUTE]: entries } });
  }
}
