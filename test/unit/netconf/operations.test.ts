import { NetconfError } from '../../../src/netconf/errors';
import { buildHello, chooseFraming, parseHello } from '../../../src/netconf/hello';
import { BASE_10, BASE_11, NETCONF_BASE_NS, NOTIFICATION_NS } from '../../../src/netconf/namespaces';
import * as ops from '../../../src/netconf/operations';
import { attrOf, childOf, parseXml, pathOf, textOf, xml } from '../../../src/xml';

describe('operations', () => {
  it('when values contain markup, then edit-config escapes them so no element is injected', () => {
    const evil = '</name><delete-config/><name>';
    const rpc = parseXml(
      ops.buildRpc(
        '1"2',
        ops.buildEditConfig({
          target: 'running',
          config: xml('top', { xmlns: 'urn:t' }, xml('name', {}, evil)),
          defaultOperation: 'replace',
          testOption: 'test-then-set',
          errorOption: 'rollback-on-error',
        }),
      ),
    );
    expect(attrOf(rpc, 'message-id')).toBe('1"2');
    const edit = childOf(rpc, 'edit-config', NETCONF_BASE_NS)!;
    expect(edit.children.map((c) => c.name)).toEqual(['target', 'default-operation', 'test-option', 'error-option', 'config']);
    expect(textOf(pathOf(edit, 'config', 'top'), 'name')).toBe(evil);
  });

  it('when a config string is not well-formed on its own, then it is refused before sending', () => {
    expect(() => ops.buildEditConfig({ target: 'running', config: '</config><x>' })).toThrow(NetconfError);
    expect(() => ops.buildGetConfig('running/><x')).toThrow(/invalid datastore/);
  });

  it('when an xpath filter has namespaces, then select is escaped and prefixes are declared', () => {
    const get = parseXml(ops.buildRpc('1', ops.buildGet({ type: 'xpath', select: "/e:a[e:n='x\"<']", namespaces: { e: 'urn:e' } })));
    const filter = pathOf(get, 'get', 'filter')!;
    expect(attrOf(filter, 'type')).toBe('xpath');
    expect(attrOf(filter, 'select')).toBe("/e:a[e:n='x\"<']");
  });

  it('when a subscription is built, then it is in the notification namespace with its parameters in order', () => {
    const el = parseXml(
      ops.buildCreateSubscription({
        stream: 'NETCONF',
        filter: { type: 'subtree', content: '<escEvent xmlns="http://www.cisco.com/esc/esc"/>' },
        startTime: new Date(0),
        stopTime: '2030-01-01T00:00:00Z',
      }),
    );
    expect(el).toMatchObject({ name: 'create-subscription', ns: NOTIFICATION_NS });
    expect(el.children.map((c) => `${c.name}@${c.ns}`)).toEqual(
      ['stream', 'filter', 'startTime', 'stopTime'].map((n) => `${n}@${NOTIFICATION_NS}`),
    );
    expect(textOf(el, 'startTime')).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('hello', () => {
  it('when a prefixed hello is parsed, then capabilities and session-id are read by namespace', () => {
    const h = parseHello(
      `<nc:hello xmlns:nc="${NETCONF_BASE_NS}"><nc:capabilities><nc:capability> ${BASE_11} </nc:capability></nc:capabilities><nc:session-id>42</nc:session-id></nc:hello>`,
    );
    expect(h).toEqual({ capabilities: [BASE_11], sessionId: '42' });
  });

  it('when a capability contains &, then the built hello stays well-formed and round-trips', () => {
    const cap = 'http://x/y?module=a&revision=2024-01-01';
    expect(parseHello(buildHello([BASE_10, cap], 3))).toEqual({ capabilities: [BASE_10, cap], sessionId: '3' });
  });

  it('when the hello is in another namespace, then parsing fails with a protocol error', () => {
    expect(() => parseHello('<hello xmlns="urn:other"><capabilities><capability>x</capability></capabilities></hello>')).toThrow(
      /expected <hello>/,
    );
  });

  it.each([
    [[BASE_10, BASE_11], [BASE_10, BASE_11], false, 'chunked'],
    [[BASE_10, BASE_11], [BASE_10], false, 'eom'],
    [[BASE_10], [BASE_10, BASE_11], false, 'eom'],
    [[BASE_10, BASE_11], [BASE_10, BASE_11], true, 'eom'],
  ])('when ours=%j and theirs=%j (force %s), then framing is %s', (ours, theirs, force, mode) => {
    expect(chooseFraming(ours, theirs, force)).toBe(mode);
  });
});
