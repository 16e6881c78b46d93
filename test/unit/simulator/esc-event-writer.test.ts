import type { VmInstance } from '../../../src/simulator/esc-state';
import {
  encodeEscEventMessage,
  formatEventTime,
  writeEscEventNotification,
  writeVmDetails,
  XML_DECL,
  type EscEvent,
} from '../../../src/simulator/esc-event-writer';
import { parseXml, pathOf, textOf } from '../../../src/xml';
import { ESC_NS } from './sim-test-helpers';

const NOTIF_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
const T = Date.UTC(2015, 3, 28, 23, 38, 4, 741);

const vm = (): VmInstance => ({
  vmId: 'vm-1',
  name: 'dep_g_0_<u>',
  group: 'g',
  hostId: 'h1',
  hostname: 'compute-host-1',
  state: 'VM_ALIVE_STATE',
  interfaces: [
    {
      nicid: '0',
      portId: 'p1',
      networkName: 'n',
      networkId: 'net-1',
      subnetId: 'sub-1',
      ip: '10.0.0.12',
      mac: 'fa:16:3e:00:00:01',
      netmask: '255.255.255.0',
      gateway: '10.0.0.1',
    },
  ],
});

describe('formatEventTime', () => {
  it('when a time is formatted, then it has milliseconds and a +00:00 offset as ESC sends it', () => {
    expect(formatEventTime(T)).toBe('2015-04-28T23:38:04.741+00:00');
    expect(formatEventTime(T + 1)).toBe('2015-04-28T23:38:04.742+00:00');
    expect(formatEventTime(T)).toBe('2015-04-28T23:38:04.741+00:00');
  });
});

describe('writeVmDetails', () => {
  it('when a VM is written, then ids, names and each interface come in the guide order, escaped', () => {
    expect(writeVmDetails(vm())).toBe(
      '<vmid>vm-1</vmid><vmname>dep_g_0_&lt;u&gt;</vmname><hostid>h1</hostid><hostname>compute-host-1</hostname>' +
        '<interfaces><interface><nicid>0</nicid><type>virtual</type><port_id>p1</port_id><network>net-1</network><subnet>sub-1</subnet>' +
        '<ip_address>10.0.0.12</ip_address><mac_address>fa:16:3e:00:00:01</mac_address><netmask>255.255.255.0</netmask><gateway>10.0.0.1</gateway></interface></interfaces>',
    );
  });

  it('when a VM has no interfaces, then there is no interfaces element', () => {
    expect(writeVmDetails({ ...vm(), interfaces: [] })).toBe(
      '<vmid>vm-1</vmid><vmname>dep_g_0_&lt;u&gt;</vmname><hostid>h1</hostid><hostname>compute-host-1</hostname>',
    );
  });
});

describe('writeEscEventNotification', () => {
  it('when a tenant event is written, then optional fields are left out and vm_source / vm_target are empty', () => {
    const xml = writeEscEventNotification(
      { type: 'CREATE_TENANT', status: 'SUCCESS', statusCode: 200, message: 'Tenant successfully created', tenant: 't', tenantId: 'tid' },
      T,
    );
    expect(xml).toBe(
      `<notification xmlns="${NOTIF_NS}"><eventTime>2015-04-28T23:38:04.741+00:00</eventTime>` +
        `<escEvent xmlns="${ESC_NS}"><status>SUCCESS</status><status_code>200</status_code><status_message>Tenant successfully created</status_message>` +
        '<tenant>t</tenant><tenant_id>tid</tenant_id><vm_source/><vm_target/><event><type>CREATE_TENANT</type></event></escEvent></notification>',
    );
  });

  it('when a VM event is written, then it parses back with every field in place', () => {
    const xml = writeEscEventNotification(
      {
        type: 'VM_ALIVE',
        status: 'FAILURE',
        statusCode: 500,
        message: 'a < b',
        depname: 'd&1',
        tenant: 't',
        tenantId: 'tid',
        depid: 'u',
        vmGroup: 'g',
        vmSource: vm(),
      },
      T,
    );
    const ev = pathOf(parseXml(xml), 'escEvent')!;
    expect(ev.ns).toBe(ESC_NS);
    expect(ev.children.map((c) => c.name)).toEqual([
      'status',
      'status_code',
      'status_message',
      'depname',
      'tenant',
      'tenant_id',
      'depid',
      'vm_group',
      'vm_source',
      'vm_target',
      'event',
    ]);
    expect([textOf(ev, 'status'), textOf(ev, 'status_code'), textOf(ev, 'status_message'), textOf(ev, 'depname')]).toEqual([
      'FAILURE',
      '500',
      'a < b',
      'd&1',
    ]);
    expect(textOf(pathOf(ev, 'vm_source'), 'vmname')).toBe('dep_g_0_<u>');
    expect(pathOf(ev, 'vm_target')!.children).toEqual([]);
    expect(textOf(pathOf(ev, 'event'), 'type')).toBe('VM_ALIVE');
  });
});

describe('encodeEscEventMessage', () => {
  const event = (over: Partial<EscEvent> = {}): EscEvent => ({
    type: 'VM_ALIVE',
    status: 'SUCCESS',
    statusCode: 200,
    message: 'ok',
    depname: 'd1',
    tenant: 't',
    tenantId: 'tid',
    depid: 'u1',
    vmGroup: 'g',
    vmSource: vm(),
    ...over,
  });

  it('when an event is encoded, then the bytes are the XML declaration and the notification, UTF-8', () => {
    const e = event({
      message: 'VM \u00e9t\u00e9 d\u00e9ploy\u00e9 \u65e5\u672c & <ok>',
      depname: 'd\u00e9p',
      vmTarget: { ...vm(), vmId: 'vm-2' },
    });
    const bytes = encodeEscEventMessage(e, T);
    expect(bytes.equals(Buffer.from(XML_DECL + writeEscEventNotification(e, T), 'utf8'))).toBe(true);
    const ev = pathOf(parseXml(bytes.toString('utf8')), 'escEvent')!;
    expect([textOf(ev, 'status_message'), textOf(ev, 'depname'), textOf(pathOf(ev, 'vm_target'), 'vmid')]).toEqual([
      'VM \u00e9t\u00e9 d\u00e9ploy\u00e9 \u65e5\u672c & <ok>',
      'd\u00e9p',
      'vm-2',
    ]);
  });

  it('when events of several deployments and groups alternate, then each carries its own names and ids', () => {
    const names = (xml: string): (string | undefined)[] => {
      const ev = pathOf(parseXml(xml), 'escEvent')!;
      return ['depname', 'tenant', 'tenant_id', 'depid', 'vm_group'].map((n) => textOf(ev, n));
    };
    const a = event({ depname: 'a', depid: 'ua', vmGroup: 'g1' });
    const b = event({ depname: 'b', depid: 'ub', vmGroup: 'g2' });
    const aService = event({ depname: 'a', depid: 'ua', vmGroup: undefined, vmSource: undefined });
    const renamed = event({ depname: 'a2', depid: 'ua', vmGroup: 'g1' });
    const tenantOnly: EscEvent = { type: 'CREATE_TENANT', status: 'SUCCESS', statusCode: 200, message: 'm', tenant: 't', tenantId: 'tid' };
    const seen = [a, b, aService, a, renamed, tenantOnly, b].map((e) => names(writeEscEventNotification(e, T)));
    expect(seen).toEqual([
      ['a', 't', 'tid', 'ua', 'g1'],
      ['b', 't', 'tid', 'ub', 'g2'],
      ['a', 't', 'tid', 'ua', undefined],
      ['a', 't', 'tid', 'ua', 'g1'],
      ['a2', 't', 'tid', 'ua', 'g1'],
      [undefined, 't', 'tid', undefined, undefined],
      ['b', 't', 'tid', 'ub', 'g2'],
    ]);
  });

  it('when the time moves on, then each message has its own eventTime', () => {
    const times = [T, T + 1, T].map((t) => textOf(parseXml(writeEscEventNotification(event(), t)), 'eventTime'));
    expect(times).toEqual(['2015-04-28T23:38:04.741+00:00', '2015-04-28T23:38:04.742+00:00', '2015-04-28T23:38:04.741+00:00']);
  });

  it('when many messages are encoded, then earlier ones are not overwritten by later ones', () => {
    const all = Array.from({ length: 300 }, (_, i) => encodeEscEventMessage(event({ message: `m${i}` }), T + i));
    expect(all.map((b) => textOf(pathOf(parseXml(b.toString('utf8')), 'escEvent'), 'status_message'))).toEqual(
      Array.from({ length: 300 }, (_, i) => `m${i}`),
    );
  });
});
