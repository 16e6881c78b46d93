/**
 * What the driver sees, as one typed stream: every escEvent of every ESC (whoever started the workflow) and the
 * driver's own findings. The rules engine decides from it what reaches ONAP; nothing in it is ESC or NSLCM wire
 * format any more.
 */

/** The VNF a driver event concerns, as the driver's VNF record knows it. */
export interface VnfRef {
  vnfInstanceId: string;
  vnfInstanceName: string;
  /** The VNFD's product type (attribute `vnfType`), else its id. */
  vnfType: string;
  vnfmId: string;
  /** Who recovers the VNF's VMs: ESC on its own (`esc`) or ONAP Policy through a heal (`onap`). */
  healingOwner: 'esc' | 'onap';
}

/** An escEvent with what the driver knows about its subject. */
export interface EscEventOccurred {
  kind: 'escEvent';
  /** ESC's event type (VM_ALIVE, VM_RECOVERY_COMPLETE…). */
  type: string;
  /** SUCCESS or FAILURE. */
  status: string;
  statusCode?: string;
  statusMessage: string;
  /** The ESC that sent it, `host:port`. */
  escHost: string;
  tenant?: string;
  deployment?: string;
  /** vm_group, and the VDU the driver mapped it from (when the deployment is ours). */
  vmGroup?: string;
  vduId?: string;
  /** ESC's VM name and id (vm_source). */
  escVmName?: string;
  vmId?: string;
  /** The VM's name as NSLCM knows it (the VNFC's name in the VNF record); ESC's name when the VNFC is not known. */
  vmName?: string;
  /** The VM ESC put in its place (vm_target), e.g. after a recovery redeploy. */
  targetVmId?: string;
  /** Present when the deployment belongs to a VNF this driver manages. */
  vnf?: VnfRef;
  /** When ESC says it happened (the notification's eventTime), epoch ms; else when it was received. */
  timeMs: number;
}

/** An ESC stopped answering: its channel could not be opened, or its event session dropped. */
export interface EscUnreachable {
  kind: 'escUnreachable';
  escHost: string;
  reason: string;
  timeMs: number;
}

/** An ESC that was unreachable answers again. */
export interface EscReachable {
  kind: 'escReachable';
  escHost: string;
  timeMs: number;
}

/** A lifecycle job ended in error. */
export interface JobFailed {
  kind: 'jobFailed';
  operation: string;
  jobId: string;
  errorCode?: string;
  message: string;
  vnf: VnfRef;
  timeMs: number;
}

/** The inventory reconciler found ESC's deployment different from what NSLCM was told, and reported it. */
export interface ReconcileDifference {
  kind: 'reconcileDifference';
  /** The operation the change was reported as (Heal, Scaleout, Scalein). */
  operation: string;
  /** VM ids that appeared and disappeared. */
  added: string[];
  removed: string[];
  vnf: VnfRef;
  timeMs: number;
}

/**
 * A VM left the VNF as NSLCM was told (a Notify stored with its VNFC REMOVED and not added back under its name):
 * terminate, scale in, or a change ESC made. Its VES source is gone, so its active alarms are cleared.
 */
export interface VmRemoved {
  kind: 'vmRemoved';
  /** The Notify's operation (Terminate, Scalein, Heal...). */
  operation: string;
  /** The VM's name as NSLCM knows it (the VES sourceName of its events) and its id. */
  vmName: string;
  vmId: string;
  vduId?: string;
  vnf: VnfRef;
  timeMs: number;
}

/** A terminate job finished: the VNF's VES source is gone, so its active alarms are cleared. */
export interface VnfTerminated {
  kind: 'vnfTerminated';
  jobId: string;
  vnf: VnfRef;
  timeMs: number;
}

export type DriverEvent = EscEventOccurred | EscUnreachable | EscReachable | JobFailed | ReconcileDifference | VmRemoved | VnfTerminated;

export type DriverEventKind = DriverEvent['kind'];

export const DRIVER_EVENT_KINDS: readonly DriverEventKind[] = [
  'escEvent',
  'escUnreachable',
  'escReachable',
  'jobFailed',
  'reconcileDifference',
  'vmRemoved',
  'vnfTerminated',
];

/** Where driver events go (the rules engine). Must not throw; slow work is its own to queue. */
export interface DriverEventSink {
  emit(event: DriverEvent): void;
  /**
   * Whether an escEvent of this type and status could match a rule; when false the taps skip it (no VNF lookup).
   * Absent: every escEvent is wanted.
   */
  wantsEscEvent?(type: string, status: string): boolean;
}
