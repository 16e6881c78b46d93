import { escEventFate, scanEscEventTarget, type EscEventAudience } from '../../../src/esc/esc-event-filter';
import { readEscEvent } from '../../../src/esc/esc-event-view';
import { toNotification } from '../../../src/netconf/reply-parser';
import { encodeEscEventMessage, writeEscEventNotification, type EscEvent } from '../../../src/simulator/esc-event-writer';
import type { VmInstance } from '../../../src/simulator/esc-state';
import { parseXml } from '../../../src/xml';

const NOTIFICATION = 'urn:ietf:params:xml:ns:netconf:notification:1.0';

function audience(responsible: boolean, watched: Array<[string, string]> = []): EscEventAudience {
  return {
    responsible: () => responsible,
    watches: (tenant, depname) => watched.some(([t, d]) => t === tenant && d === depname),
  };
}

/** What the full parse reads from the same text. */
function parsedTarget(raw: string): { tenant?: string; depname?: string } | undefined {
  const n = toNotification(parseXml(raw), raw);
  const ev = n && readEscEvent(n.body, n.eventTime);
  return ev && { tenant: ev.tenant, depname: ev.depname };
}

const vm: VmInstance = {
  vmId: 'vm-1',
  name: 'dep-a_g1_0_abc',
  group: 'g1',
  hostId: 'h1',
  hostname: 'host-1',
  state: 'ALIVE' as VmInstance['state'],
  interfaces: [],
};

describe('escEventFate', () => {
  it('when this replica is responsible for the ESC, then it handles every event in full, watched or not, named or not', () => {
    expect(escEventFate({ tenant: 't', depname: 'd' }, audience(true))).toBe('all');
    expect(escEventFate(undefined, audience(true))).toBe('all');
    expect(escEventFate({ tenant: 't', depname: 'd' }, audience(true, [['t', 'd']]))).toBe('all');
  });

  it('when another replica is responsible, then only events of deployments its own jobs wait on go to those jobs; the rest are dropped', () => {
    const a = audience(false, [['t', 'mine']]);
    expect(escEventFate({ tenant: 't', depname: 'mine' }, a)).toBe('watchers');
    expect(escEventFate({ tenant: 't', depname: 'theirs' }, a)).toBe('drop');
    // Same deployment name in another tenant is another deployment.
    expect(escEventFate({ tenant: 'u', depname: 'mine' }, a)).toBe('drop');
  });

  it('when the raw text did not say which deployment, then the event is parsed for the jobs rather than dropped', () => {
    expect(escEventFate(undefined, audience(false))).toBe('watchers');
  });
});

describe('scanEscEventTarget', () => {
  it('when the simulator writes an escEvent, then the scan reads the tenant and deployment the full parse reads', () => {
    const events: EscEvent[] = [
      { type: 'VM_ALIVE', status: 'SUCCESS', statusCode: 200, message: 'ok', depname: 'dep-a', tenant: 'ten', depid: 'id-1', vmSource: vm },
      {
        type: 'SERVICE_ALIVE',
        status: 'SUCCESS',
        statusCode: 200,
        message: 'Service group deployment completed',
        depname: 'x.y-z',
        tenant: 'admin',
        tenantId: 'tid',
        depid: 'id-2',
      },
      {
        type: 'VM_RECOVERY_COMPLETE',
        status: 'FAILURE',
        statusCode: 500,
        message: 'no',
        depname: 'd',
        tenant: 't',
        vmSource: vm,
        vmTarget: vm,
      },
    ];
    for (const e of events) {
      // As sent on the wire, XML declaration included.
      const raw = encodeEscEventMessage(e, Date.UTC(2026, 0, 1)).toString('utf8');
      expect(scanEscEventTarget(raw)).toEqual(parsedTarget(raw));
      expect(scanEscEventTarget(raw)).toEqual({ tenant: e.tenant, depname: e.depname });
    }
  });

  it('when the event names no deployment (a flavor or a tenant event), then the scan says nothing', () => {
    const flavor = writeEscEventNotification({ type: 'CREATE_FLAVOR', status: 'SUCCESS', statusCode: 200, message: 'ok', flavor: 'f1' }, 0);
    const tenant = writeEscEventNotification({ type: 'CREATE_TENANT', status: 'SUCCESS', statusCode: 200, message: 'ok', tenant: 't' }, 0);
    expect(scanEscEventTarget(flavor)).toBeUndefined();
    expect(scanEscEventTarget(tenant)).toBeUndefined();
  });

  it('when the elements carry a namespace prefix or white space, then the scan still agrees with the full parse', () => {
    const raw =
      `<?xml version="1.0"?>\n<!-- from ESC --><nc:notification xmlns:nc="${NOTIFICATION}"><nc:eventTime>2026-01-01T00:00:00Z</nc:eventTime>` +
      `<e:escEvent xmlns:e="http://www.cisco.com/esc/esc"><e:status>SUCCESS</e:status><e:depname> dep </e:depname>` +
      `<e:tenant>ten</e:tenant><e:tenant_id>x</e:tenant_id><e:event><e:type>VM_ALIVE</e:type></e:event></e:escEvent></nc:notification>`;
    expect(scanEscEventTarget(raw)).toEqual({ tenant: 'ten', depname: 'dep' });
    expect(parsedTarget(raw)).toEqual({ tenant: 'ten', depname: 'dep' });
  });

  it('when a name holds an entity, then the scan leaves it to the full parse', () => {
    const raw =
      `<notification xmlns="${NOTIFICATION}"><eventTime>2026-01-01T00:00:00Z</eventTime><escEvent xmlns="http://www.cisco.com/esc/esc">` +
      `<depname>a&amp;b</depname><tenant>t</tenant><event><type>VM_ALIVE</type></event></escEvent></notification>`;
    expect(scanEscEventTarget(raw)).toBeUndefined();
    expect(parsedTarget(raw)).toEqual({ tenant: 't', depname: 'a&b' });
  });

  it('when the message is an rpc-reply (even one carrying escEvent text), then the scan says nothing', () => {
    const reply =
      '<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><escEvent><depname>d</depname>' +
      '<tenant>t</tenant></escEvent></data></rpc-reply>';
    expect(scanEscEventTarget(reply)).toBeUndefined();
    expect(scanEscEventTarget('<rpc-reply message-id="2"><ok/></rpc-reply>')).toBeUndefined();
  });
});
