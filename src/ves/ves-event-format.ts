/* The VES 7.2.1 event JSON the driver sends (Common Event Format 30.2.1): the parts it fills in. */

/** `commonEventHeader.version` the driver writes. */
export const VES_HEADER_VERSION = '4.1';
/** `commonEventHeader.vesEventListenerVersion` the driver writes. */
export const VES_LISTENER_VERSION = '7.2.1';
/** `faultFields.faultFieldsVersion` (the only value the format allows). */
export const FAULT_FIELDS_VERSION = '4.0';
/** `notificationFields.notificationFieldsVersion` (the only value the format allows). */
export const NOTIFICATION_FIELDS_VERSION = '2.0';

/** `commonEventHeader.priority`. */
export type VesPriority = 'High' | 'Medium' | 'Normal' | 'Low';

export interface VesCommonEventHeader {
  domain: 'fault' | 'notification';
  eventId: string;
  eventName: string;
  lastEpochMicrosec: number;
  priority: VesPriority;
  reportingEntityName: string;
  sequence: number;
  sourceName: string;
  startEpochMicrosec: number;
  version: typeof VES_HEADER_VERSION;
  vesEventListenerVersion: typeof VES_LISTENER_VERSION;
}

export interface VesFaultFields {
  alarmAdditionalInformation?: Record<string, string>;
  alarmCondition: string;
  eventSeverity: string;
  eventSourceType: string;
  faultFieldsVersion: typeof FAULT_FIELDS_VERSION;
  specificProblem: string;
  vfStatus: string;
}

export interface VesNotificationFields {
  additionalFields?: Record<string, string>;
  changeIdentifier: string;
  changeType: string;
  newState?: string;
  oldState?: string;
  notificationFieldsVersion: typeof NOTIFICATION_FIELDS_VERSION;
}

/** One event: the header and the fields of its domain. */
export interface VesEvent {
  commonEventHeader: VesCommonEventHeader;
  faultFields?: VesFaultFields;
  notificationFields?: VesNotificationFields;
}
