import { filterBySubtree, filterByXpath, parseXpath } from '../../../src/simulator/data-filter';
import { rpcErrorOf } from './sim-test-helpers';
import { parseXml, writeElement, type XmlElement } from '../../../src/xml';

const ESC = 'http://www.cisco.com/esc/esc';

/** Running config plus opdata, as `get` sees it: tenants t1 (deployments d1, d2) and t2. */
const DATA = parseXml(
  `<esc_datamodel xmlns="${ESC}">` +
    '<tenants>' +
    '<tenant><name>t1</name><deployments>' +
    '<deployment><name>d1</name><vm_group><name>g1</name><interfaces><interface><nicid>0</nicid><network>esc-net</network></interface>' +
    '<interface><nicid>1</nicid><network>mgmt</network></interface></interfaces></vm_group></deployment>' +
    '<deployment><name>d2</name><vm_group><name>g2</name></vm_group></deployment>' +
    '</deployments></tenant>' +
    '<tenant><name>t2</name></tenant>' +
    '</tenants>' +
    '<opdata><status>OPER_UP</status><tenants>' +
    '<tenant><name>t1</name><tenant_id>abc</tenant_id>' +
    '<deployments><deployment_name>d1</deployment_name><deployment_id>t1d1</deployment_id><state_machine><state>SERVICE_ACTIVE_STATE</state></state_machine></deployments>' +
    '<deployments><deployment_name>d2</deployment_name><deployment_id>t1d2</deployment_id></deployments>' +
    '</tenant>' +
    '<tenant><name>t2</name><tenant_id>def</tenant_id></tenant>' +
    '</tenants></opdata>' +
    '</esc_datamodel>',
);

const written = (nodes: XmlElement[]): string[] => nodes.map((n) => writeElement(n));
const filters = (xml: string): XmlElement[] => parseXml(`<filter>${xml}</filter>`).children;

describe('parseXpath', () => {
  it('when the guide opdata path is given, then each step has its name and [leaf=value] predicates', () => {
    expect(parseXpath('esc_datamodel/opdata/tenants/tenant[name=\'t1\']/deployments[deployment_name="d1"]')).toEqual([
      { name: 'esc_datamodel', predicates: [] },
      { name: 'opdata', predicates: [] },
      { name: 'tenants', predicates: [] },
      { name: 'tenant', predicates: [{ name: 'name', value: 't1' }] },
      { name: 'deployments', predicates: [{ name: 'deployment_name', value: 'd1' }] },
    ]);
  });

  it('when steps and predicate leaves carry prefixes and the path a leading slash, then the prefixes are dropped', () => {
    expect(parseXpath("/esc:esc_datamodel/esc:tenants/esc:tenant[esc:name='x']")).toEqual([
      { name: 'esc_datamodel', predicates: [] },
      { name: 'tenants', predicates: [] },
      { name: 'tenant', predicates: [{ name: 'name', value: 'x' }] },
    ]);
  });

  it.each([
    ['typographic single quotes', 'tenant[name=\u2018vnf-tenant\u2019]'],
    ['mixed typographic quotes, as in the guide', 'tenant[name=\u2019vnf-tenant\u2018]'],
    ['typographic double quotes', 'tenant[name=\u201cvnf-tenant\u201d]'],
    ['no quotes and spaces', 'tenant[ name = vnf-tenant ]'],
  ])('when the value is written with %s, then the value is vnf-tenant', (_how, select) => {
    expect(parseXpath(select)[0].predicates).toEqual([{ name: 'name', value: 'vnf-tenant' }]);
  });

  it('when a step has two predicates, then both are kept in order', () => {
    expect(parseXpath("interface[nicid='0'][network=esc-net]")[0].predicates).toEqual([
      { name: 'nicid', value: '0' },
      { name: 'network', value: 'esc-net' },
    ]);
  });

  it('when steps are split over lines around the slashes, then the whitespace is ignored', () => {
    expect(parseXpath(' esc_datamodel /\n tenants ').map((s) => s.name)).toEqual(['esc_datamodel', 'tenants']);
  });

  it('when a step is *, then it is kept as a wildcard step', () => {
    expect(parseXpath('esc_datamodel/*/tenants').map((s) => s.name)).toEqual(['esc_datamodel', '*', 'tenants']);
  });

  it('when the select is empty, then it is an invalid-value protocol error', () => {
    const err = rpcErrorOf(() => parseXpath(' / '));
    expect([err.tag, err.message, err.details]).toEqual([
      'invalid-value',
      'empty XPath select',
      { type: 'protocol', badElement: 'filter' },
    ]);
  });

  it.each([
    ['a descendant step', 'esc_datamodel//tenant'],
    ['a function', 'count(esc_datamodel)'],
    ['a position predicate', 'tenants/tenant[1]'],
    ['a != predicate', "tenants/tenant[name!='x']"],
    ['a function predicate', 'tenants/tenant[position()=1]'],
    ['an and of two comparisons', "tenants/tenant[name='a' and tenant_id='b']"],
  ])('when the select has %s, then it is rejected as unsupported', (_what, select) => {
    const err = rpcErrorOf(() => parseXpath(select));
    expect([err.tag, err.message]).toEqual(['invalid-value', `unsupported XPath expression: ${select}`]);
  });
});

describe('filterByXpath', () => {
  it('when the guide deployment opdata query is applied, then only that deployment comes back under its tenant key', () => {
    const out = filterByXpath([DATA], "esc_datamodel/opdata/tenants/tenant[name='t1']/deployments[deployment_name='d1']");
    expect(written(out)).toEqual([
      `<esc_datamodel xmlns="${ESC}"><opdata><tenants><tenant><name>t1</name>` +
        '<deployments><deployment_name>d1</deployment_name><deployment_id>t1d1</deployment_id><state_machine><state>SERVICE_ACTIVE_STATE</state></state_machine></deployments>' +
        '</tenant></tenants></opdata></esc_datamodel>',
    ]);
  });

  it('when the path ends on a leaf, then the ancestors keep their key leaves and nothing else', () => {
    const out = filterByXpath([DATA], "esc_datamodel/opdata/tenants/tenant[name='t2']/tenant_id");
    expect(written(out)).toEqual([
      `<esc_datamodel xmlns="${ESC}"><opdata><tenants><tenant><name>t2</name><tenant_id>def</tenant_id></tenant></tenants></opdata></esc_datamodel>`,
    ]);
  });

  it('when the path selects the key leaf itself, then it appears once', () => {
    const out = filterByXpath([DATA], "esc_datamodel/tenants/tenant[name='t1']/name");
    expect(written(out)).toEqual([`<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>t1</name></tenant></tenants></esc_datamodel>`]);
  });

  it('when the guide get-config by network query is applied, then only the matching interface and the keys of its ancestors remain', () => {
    const out = filterByXpath(
      [DATA],
      "esc_datamodel/tenants/tenant/deployments/deployment/vm_group/interfaces/interface[network='esc-net']",
    );
    expect(written(out)).toEqual([
      `<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>t1</name><deployments><deployment><name>d1</name><vm_group><name>g1</name>` +
        '<interfaces><interface><nicid>0</nicid><network>esc-net</network></interface></interfaces></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>',
    ]);
  });

  it('when a wildcard step is used, then it matches any child name', () => {
    const out = filterByXpath([DATA], 'esc_datamodel/*/status');
    expect(written(out)).toEqual([`<esc_datamodel xmlns="${ESC}"><opdata><status>OPER_UP</status></opdata></esc_datamodel>`]);
  });

  it.each([
    ['an unknown tenant', "esc_datamodel/opdata/tenants/tenant[name='nope']"],
    ['another root', 'other_model/tenants'],
  ])('when the path matches nothing (%s), then there are no nodes', (_what, select) => {
    expect(filterByXpath([DATA], select)).toEqual([]);
  });

  it('when the data is filtered, then the data itself is left unchanged', () => {
    const before = writeElement(DATA);
    filterByXpath([DATA], "esc_datamodel/opdata/tenants/tenant[name='t1']/tenant_id");
    expect(writeElement(DATA)).toBe(before);
  });
});

describe('filterBySubtree', () => {
  it('when a list entry is selected by a content match node only, then the whole entry comes back', () => {
    const out = filterBySubtree(
      [DATA],
      filters(`<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>t2</name></tenant></tenants></esc_datamodel>`),
    );
    expect(written(out)).toEqual([`<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>t2</name></tenant></tenants></esc_datamodel>`]);
  });

  it('when a content match node is combined with a selection node, then the entry keeps the match and the selected leaf', () => {
    const out = filterBySubtree(
      [DATA],
      filters(
        `<esc_datamodel xmlns="${ESC}"><opdata><tenants><tenant><name>t1</name><tenant_id/></tenant></tenants></opdata></esc_datamodel>`,
      ),
    );
    expect(written(out)).toEqual([
      `<esc_datamodel xmlns="${ESC}"><opdata><tenants><tenant><name>t1</name><tenant_id>abc</tenant_id></tenant></tenants></opdata></esc_datamodel>`,
    ]);
  });

  it('when only a selection node is given, then that leaf of every entry comes back', () => {
    const out = filterBySubtree(
      [DATA],
      filters(`<esc_datamodel xmlns="${ESC}"><tenants><tenant><name/></tenant></tenants></esc_datamodel>`),
    );
    expect(written(out)).toEqual([
      `<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>t1</name></tenant><tenant><name>t2</name></tenant></tenants></esc_datamodel>`,
    ]);
  });

  it('when the filter has no namespace, then it matches the ESC namespace', () => {
    const out = filterBySubtree([DATA], filters('<esc_datamodel><opdata><status/></opdata></esc_datamodel>'));
    expect(written(out)).toEqual([`<esc_datamodel xmlns="${ESC}"><opdata><status>OPER_UP</status></opdata></esc_datamodel>`]);
  });

  it.each([
    ['another namespace', '<esc_datamodel xmlns="urn:other"><tenants/></esc_datamodel>'],
    ['a content match that fails', `<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>nope</name></tenant></tenants></esc_datamodel>`],
    ['another root name', `<other xmlns="${ESC}"/>`],
  ])('when the filter has %s, then nothing comes back', (_what, filter) => {
    expect(filterBySubtree([DATA], filters(filter))).toEqual([]);
  });

  it('when two filters are given, then each match comes back in filter order', () => {
    const out = filterBySubtree(
      [DATA],
      filters(
        `<esc_datamodel xmlns="${ESC}"><opdata><status/></opdata></esc_datamodel><esc_datamodel><tenants><tenant><name>t2</name></tenant></tenants></esc_datamodel>`,
      ),
    );
    expect(written(out)).toEqual([
      `<esc_datamodel xmlns="${ESC}"><opdata><status>OPER_UP</status></opdata></esc_datamodel>`,
      `<esc_datamodel xmlns="${ESC}"><tenants><tenant><name>t2</name></tenant></tenants></esc_datamodel>`,
    ]);
  });

  it('when the top-level filter node is empty, then the whole root comes back', () => {
    expect(filterBySubtree([DATA], filters(`<esc_datamodel xmlns="${ESC}"/>`))).toEqual([DATA]);
  });
});
