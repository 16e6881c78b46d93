import { vesEventProblems, vesRequestProblems } from '../../../src/ves/ves-event-checks';

/** An event as these tests edit it. */
interface LooseEvent {
  commonEventHeader: Record<string, unknown>;
  faultFields: Record<string, unknown>;
  notificationFields?: Record<string, unknown>;
  extra?: unknown;
  syslogFields?: unknown;
}

function validFault(): LooseEvent {
  return {
    commonEventHeader: {
      domain: 'fault',
      eventId: 'fault0001',
      eventName: 'Fault_vFW_linkDown',
      lastEpochMicrosec: 1413378172000000,
      priority: 'High',
      reportingEntityName: 'ciscovnfmdriver',
      sequence: 1,
      sourceName: 'vm-1',
      startEpochMicrosec: 1413378172000000,
      version: '4.1',
      vesEventListenerVersion: '7.2.1',
    },
    faultFields: {
      alarmCondition: 'linkDown',
      eventSeverity: 'MAJOR',
      eventSourceType: 'virtualMachine',
      faultFieldsVersion: '4.0',
      specificProblem: 'link down',
      vfStatus: 'Active',
      alarmAdditionalInformation: { a: 'b' },
    },
  };
}

describe('VES 7.2.1 event checks', () => {
  it('when an event has every required field, then it has no problem', () => {
    expect(vesEventProblems(validFault())).toEqual([]);
  });

  it.each([
    ['eventId', 'event.commonEventHeader.eventId is required'],
    ['sequence', 'event.commonEventHeader.sequence is required'],
    ['vesEventListenerVersion', 'event.commonEventHeader.vesEventListenerVersion is required'],
  ])('when the header lacks %s, then that field is named', (field, problem) => {
    const e = validFault();
    Reflect.deleteProperty(e.commonEventHeader, field);
    expect(vesEventProblems(e)).toEqual([problem]);
  });

  it('when values break the types and enumerations, then each bad field is named with the reason', () => {
    const e = validFault();
    e.commonEventHeader.priority = 'Urgent';
    e.commonEventHeader.sequence = 1.5;
    e.commonEventHeader.version = '3.0';
    e.commonEventHeader.startEpochMicrosec = '1';
    e.faultFields.eventSeverity = 'critical';
    e.faultFields.faultFieldsVersion = '4.1';
    e.faultFields.alarmAdditionalInformation = { a: 1 };
    expect(vesEventProblems(e)).toEqual([
      'event.commonEventHeader.priority must be one of High|Medium|Normal|Low',
      'event.commonEventHeader.sequence must be an integer',
      'event.commonEventHeader.startEpochMicrosec must be a number',
      'event.commonEventHeader.version must be one of 4.0|4.0.1|4.1',
      'event.faultFields.eventSeverity must be one of CRITICAL|MAJOR|MINOR|WARNING|NORMAL',
      'event.faultFields.faultFieldsVersion must be one of 4.0',
      'event.faultFields.alarmAdditionalInformation must be an object of strings',
    ]);
  });

  it('when a field is unknown or the domain block is missing, then it is refused', () => {
    const e = validFault();
    e.commonEventHeader.colour = 'red';
    e.extra = {};
    expect(vesEventProblems(e)).toEqual([
      'event.extra is not a field of an event',
      'event.commonEventHeader.colour is not a field of commonEventHeader',
    ]);
    const noFields = validFault();
    Reflect.deleteProperty(noFields, 'faultFields');
    expect(vesEventProblems(noFields)).toEqual(['event.faultFields is required for domain fault']);
  });

  it('when a block of another domain comes along, then it is checked too, as the schema checks every block present', () => {
    const e = validFault();
    e.commonEventHeader.domain = 'notification';
    e.notificationFields = { changeIdentifier: 'dep-1', changeType: 'scaleOut', notificationFieldsVersion: '2.0' };
    expect(vesEventProblems(e)).toEqual([]);
    e.faultFields = { bogus: 1 };
    expect(vesEventProblems(e)).toEqual(
      expect.arrayContaining(['event.faultFields.alarmCondition is required', 'event.faultFields.bogus is not a field of faultFields']),
    );
    e.faultFields = validFault().faultFields;
    e.syslogFields = 'text';
    expect(vesEventProblems(e)).toEqual(['event.syslogFields must be an object']);
  });

  it('when a notification lacks its required fields, then each is named', () => {
    const e = validFault();
    e.commonEventHeader.domain = 'notification';
    Reflect.deleteProperty(e, 'faultFields');
    e.notificationFields = { changeType: 'scaleOut', newState: 3 };
    expect(vesEventProblems(e)).toEqual([
      'event.notificationFields.changeIdentifier is required',
      'event.notificationFields.notificationFieldsVersion is required',
      'event.notificationFields.newState must be a string',
    ]);
  });

  it('when request bodies are read, then /eventListener/v7 takes {event} and eventBatch a non-empty {eventList}', () => {
    expect(vesRequestProblems({ event: validFault() }, false)).toEqual({ events: [validFault()], problems: [] });
    expect(vesRequestProblems({ eventList: [validFault(), validFault()] }, true).events).toHaveLength(2);
    expect(vesRequestProblems({ eventList: [] }, true).problems).toEqual(['eventList must be a non-empty array']);
    expect(vesRequestProblems({ event: validFault() }, true).problems).toEqual(['event is not expected (the body holds eventList only)']);
    expect(vesRequestProblems('x', false).problems).toEqual(['body must be a JSON object']);
    const bad = validFault();
    Reflect.deleteProperty(bad.faultFields, 'vfStatus');
    expect(vesRequestProblems({ eventList: [validFault(), bad] }, true).problems).toEqual([
      'eventList[1].faultFields.vfStatus is required',
    ]);
  });
});
