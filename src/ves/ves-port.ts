/** Severity of a VES fault (VES 7.x `eventSeverity`); NORMAL clears the alarm. */
export type VesSeverity = 'CRITICAL' | 'MAJOR' | 'MINOR' | 'WARNING' | 'NORMAL';

/** What a VES event is about: one VM (sourceName = the VM name NSLCM and A&AI know) or the whole VNF. */
export interface VesSource {
  sourceName: string;
  eventSourceType: 'virtualMachine' | 'VNF';
  /** The VNF instance the source belongs to; empty when the event concerns an ESC, not a VNF. */
  vnfInstanceId: string;
  /** The VNF type used in `eventName` (`Fault_<vnfType>_<problem>`); the VNFD name or product. */
  vnfType: string;
}

/** A fault to raise (severity above NORMAL) or clear (NORMAL), decided by a rule. */
export interface VesFault extends VesSource {
  kind: 'fault';
  alarmCondition: string;
  specificProblem: string;
  severity: VesSeverity;
  vfStatus: 'Active' | 'Idle';
  /** When it happened (the ESC event time when there is one), epoch ms. */
  eventTimeMs: number;
  /** Extra name/value pairs (ESC deployment, VM, event type...), strings only. */
  details: Record<string, string>;
}

/** A notification (VES `notification` domain), e.g. an elastic scale ESC finished on its own. */
export interface VesNotification extends VesSource {
  kind: 'notification';
  changeType: string;
  changeIdentifier: string;
  newState?: string;
  oldState?: string;
  eventTimeMs: number;
  details: Record<string, string>;
}

export type VesEventRequest = VesFault | VesNotification;

/** Where decided events go: durably stored before the Promise resolves, delivered later in order per source. */
export interface VesPublisher {
  publish(event: VesEventRequest): Promise<void>;
  /** The alarmConditions raised on `sourceName` and not cleared yet. */
  activeAlarms(sourceName: string): Promise<string[]>;
}
