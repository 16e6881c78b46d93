import { eventNamePart, priorityOf, toVesEvent } from '../../../src/ves/ves-event-mapper';
import { vesEventProblems } from '../../../src/ves/ves-event-checks';
import type { VesFault, VesNotification } from '../../../src/ves/ves-port';

const fault: VesFault = {
  kind: 'fault',
  sourceName: 'vnf-a-vm-1',
  eventSourceType: 'virtualMachine',
  vnfInstanceId: 'vnf-a',
  vnfType: 'vFW demo',
  alarmCondition: 'vmDown',
  specificProblem: 'VM_RECOVERY_COMPLETE FAILURE',
  severity: 'CRITICAL',
  vfStatus: 'Active',
  eventTimeMs: 1_700_000_000_123,
  details: { escDeployment: 'dep-1', escEvent: 'VM_RECOVERY_COMPLETE' },
};

const notification: VesNotification = {
  kind: 'notification',
  sourceName: 'vnf-a',
  eventSourceType: 'VNF',
  vnfInstanceId: 'vnf-a',
  vnfType: 'vFW',
  changeType: 'scaleOut',
  changeIdentifier: 'dep-1',
  newState: '3 VMs',
  eventTimeMs: 1_700_000_000_000,
  details: {},
};

const identity = { eventId: 'e-1', sequence: 7, reportingEntityName: 'ciscovnfmdriver', reportedAtMs: 1_700_000_001_000 };

describe('VES event mapping', () => {
  it('when a fault is mapped, then the header and faultFields carry the VES 7.2.1 fields and it passes the checks', () => {
    const event = toVesEvent(fault, identity);
    expect(event).toEqual({
      commonEventHeader: {
        domain: 'fault',
        eventId: 'e-1',
        eventName: 'Fault_vFW-demo_vmDown',
        lastEpochMicrosec: 1_700_000_001_000_000,
        priority: 'High',
        reportingEntityName: 'ciscovnfmdriver',
        sequence: 7,
        sourceName: 'vnf-a-vm-1',
        startEpochMicrosec: 1_700_000_000_123_000,
        version: '4.1',
        vesEventListenerVersion: '7.2.1',
      },
      faultFields: {
        alarmAdditionalInformation: { vnfInstanceId: 'vnf-a', escDeployment: 'dep-1', escEvent: 'VM_RECOVERY_COMPLETE' },
        alarmCondition: 'vmDown',
        eventSeverity: 'CRITICAL',
        eventSourceType: 'virtualMachine',
        faultFieldsVersion: '4.0',
        specificProblem: 'VM_RECOVERY_COMPLETE FAILURE',
        vfStatus: 'Active',
      },
    });
    expect(vesEventProblems(event)).toEqual([]);
  });

  it('when a notification is mapped, then notificationFields carry the change and version 2.0 and it passes the checks', () => {
    const event = toVesEvent(notification, identity);
    expect(event.commonEventHeader).toMatchObject({ domain: 'notification', eventName: 'Notification_vFW_scaleOut', priority: 'Normal' });
    expect(event.notificationFields).toEqual({
      additionalFields: { vnfInstanceId: 'vnf-a' },
      changeIdentifier: 'dep-1',
      changeType: 'scaleOut',
      newState: '3 VMs',
      notificationFieldsVersion: '2.0',
    });
    expect(event.faultFields).toBeUndefined();
    expect(vesEventProblems(event)).toEqual([]);
  });

  it('when the event time is later than the report time, then lastEpochMicrosec is the event time', () => {
    const event = toVesEvent({ ...fault, eventTimeMs: identity.reportedAtMs + 5 }, identity);
    expect(event.commonEventHeader.lastEpochMicrosec).toBe(event.commonEventHeader.startEpochMicrosec);
  });

  it('when the event concerns no VNF and has no details, then no additional information is sent', () => {
    const event = toVesEvent({ ...fault, vnfInstanceId: '', details: {} }, identity);
    expect(event.faultFields).not.toHaveProperty('alarmAdditionalInformation');
  });

  it('when severities are mapped, then each has its priority and the names are cleaned of separators', () => {
    expect(['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'NORMAL'].map((s) => priorityOf(s as VesFault['severity']))).toEqual([
      'High',
      'Medium',
      'Normal',
      'Low',
      'Normal',
    ]);
    expect(eventNamePart('a_b c/d')).toBe('a-b-c-d');
    expect(eventNamePart('  ')).toBe('unknown');
  });
});
