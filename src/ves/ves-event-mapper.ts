import {
  FAULT_FIELDS_VERSION,
  NOTIFICATION_FIELDS_VERSION,
  VES_HEADER_VERSION,
  VES_LISTENER_VERSION,
  type VesCommonEventHeader,
  type VesEvent,
  type VesPriority,
} from './ves-event-format';
import type { VesEventRequest, VesSeverity } from './ves-port';

/** What the mapping needs besides the decided event. */
export interface VesEventIdentity {
  /** Unique per event, kept across retries (made once, when the event is stored). */
  eventId: string;
  /** Position of the event among those of its sourceName. */
  sequence: number;
  /** Who reports: the driver's service name. */
  reportingEntityName: string;
  /** When the driver reported it, epoch ms (the event's `lastEpochMicrosec` unless the event time is later). */
  reportedAtMs: number;
}

const PRIORITY_OF: Record<VesSeverity, VesPriority> = {
  CRITICAL: 'High',
  MAJOR: 'Medium',
  MINOR: 'Normal',
  WARNING: 'Low',
  NORMAL: 'Normal',
};

/** Processing priority of a fault of this severity (a clear is as urgent as a minor fault). */
export function priorityOf(severity: VesSeverity): VesPriority {
  return PRIORITY_OF[severity];
}

/** One `_`-separated part of an eventName: characters other than letters, digits, `.` and `-` become `-`. */
export function eventNamePart(text: string): string {
  const part = text.trim().replace(/[^A-Za-z0-9.-]+/g, '-');
  return part === '' ? 'unknown' : part;
}

/** The VES 7.2.1 event of a decided fault or notification (see README, "VES events"). */
export function toVesEvent(req: VesEventRequest, id: VesEventIdentity): VesEvent {
  const additional =
    req.vnfInstanceId && req.details.vnfInstanceId === undefined ? { vnfInstanceId: req.vnfInstanceId, ...req.details } : req.details;
  if (req.kind === 'fault') {
    return {
      commonEventHeader: header(
        req,
        id,
        'fault',
        `Fault_${eventNamePart(req.vnfType)}_${eventNamePart(req.alarmCondition)}`,
        priorityOf(req.severity),
      ),
      faultFields: {
        ...(Object.keys(additional).length ? { alarmAdditionalInformation: { ...additional } } : {}),
        alarmCondition: req.alarmCondition,
        eventSeverity: req.severity,
        eventSourceType: req.eventSourceType,
        faultFieldsVersion: FAULT_FIELDS_VERSION,
        specificProblem: req.specificProblem,
        vfStatus: req.vfStatus,
      },
    };
  }
  return {
    commonEventHeader: header(
      req,
      id,
      'notification',
      `Notification_${eventNamePart(req.vnfType)}_${eventNamePart(req.changeType)}`,
      'Normal',
    ),
    notificationFields: {
      ...(Object.keys(additional).length ? { additionalFields: { ...additional } } : {}),
      changeIdentifier: req.changeIdentifier,
      changeType: req.changeType,
      ...(req.newState !== undefined ? { newState: req.newState } : {}),
      ...(req.oldState !== undefined ? { oldState: req.oldState } : {}),
      notificationFieldsVersion: NOTIFICATION_FIELDS_VERSION,
    },
  };
}

function header(
  req: VesEventRequest,
  id: VesEventIdentity,
  domain: VesCommonEventHeader['domain'],
  eventName: string,
  priority: VesPriority,
): VesCommonEventHeader {
  const startMs = Math.trunc(req.eventTimeMs);
  return {
    domain,
    eventId: id.eventId,
    eventName,
    lastEpochMicrosec: Math.max(startMs, Math.trunc(id.reportedAtMs)) * 1000,
    priority,
    reportingEntityName: id.reportingEntityName,
    sequence: id.sequence,
    sourceName: req.sourceName,
    startEpochMicrosec: startMs * 1000,
    version: VES_HEADER_VERSION,
    vesEventListenerVersion: VES_LISTENER_VERSION,
  };
}
