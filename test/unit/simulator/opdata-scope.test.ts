import { filterBySubtree, filterByXpath, subtreeOpdataScope, xpathOpdataScope } from '../../../src/simulator/data-filter';
import { EscState, type DeploymentState } from '../../../src/simulator/esc-state';
import { writeOpdata } from '../../../src/simulator/opdata-writer';
import { parseXml, writeElement, type XmlElement } from '../../../src/xml';
import { ESC_NS } from './sim-test-helpers';

function deployment(tenant: string, name: string): DeploymentState {
  return {
    name,
    tenant,
    deploymentId: `${tenant}${name}`,
    depId: `u-${name}`,
    state: 'SERVICE_ACTIVE_STATE',
    busy: false,
    groups: [{ name: 'g', count: 0 }],
    vms: [],
  };
}

/** Tenants t1 (d1, d2, d3) and t2 (d1), both active. */
function state(): EscState {
  const s = new EscState();
  for (const [t, deps] of [
    ['t1', ['d1', 'd2', 'd3']],
    ['t2', ['d1']],
  ] as const) {
    s.tenants.set(t, {
      name: t,
      tenantId: `id-${t}`,
      active: true,
      networks: new Map(),
      deployments: new Map(deps.map((d) => [d, deployment(t, d)])),
    });
  }
  return s;
}

const root = (opdata: XmlElement): XmlElement => ({ name: 'esc_datamodel', ns: ESC_NS, attrs: [], text: '', children: [opdata] });
const written = (nodes: XmlElement[]): string => nodes.map((n) => writeElement(n, ESC_NS)).join('');
const subtree = (xml: string): XmlElement[] => parseXml(`<filter xmlns="${ESC_NS}">${xml}</filter>`).children;
const tenantFilter = (inner: string): string =>
  `<esc_datamodel><opdata><tenants><tenant>${inner}</tenant></tenants></opdata></esc_datamodel>`;

describe('opdata scope of a filter', () => {
  it.each([
    ['one deployment', tenantFilter('<name>t1</name><deployments><deployment_name>d2</deployment_name></deployments>')],
    [
      'two deployments',
      tenantFilter(
        '<name>t1</name><deployments><deployment_name>d3</deployment_name></deployments><deployments><deployment_name>d1</deployment_name></deployments>',
      ),
    ],
    ['a deployment the tenant lacks', tenantFilter('<name>t2</name><deployments><deployment_name>d2</deployment_name></deployments>')],
    ['a whole tenant', tenantFilter('<name>t1</name>')],
    ['a tenant id only', tenantFilter('<name>t1</name><tenant_id/>')],
    ['every deployment of a tenant', tenantFilter('<name>t1</name><deployments/>')],
    ['tenants without a name', tenantFilter('<deployments><deployment_name>d1</deployment_name></deployments>')],
    ['the whole opdata', '<esc_datamodel><opdata/></esc_datamodel>'],
    ['the status only', '<esc_datamodel><opdata><status/></opdata></esc_datamodel>'],
  ])('when a subtree filter selects %s, then writing the scope only gives what writing everything gives', (_what, xml) => {
    const s = state();
    const everything = written(filterBySubtree([root(writeOpdata(s, 7))], subtree(xml)));
    const scoped = written(filterBySubtree([root(writeOpdata(s, 7, subtreeOpdataScope(subtree(xml))))], subtree(xml)));
    expect(scoped).toBe(everything);
    expect(everything).not.toBe('');
  });

  it.each([
    "esc_datamodel/opdata/tenants/tenant[name='t1']/deployments[deployment_name='d2']",
    'esc_datamodel/opdata/tenants/tenant[name=\u2019t2\u2019]',
    "esc_datamodel/opdata/tenants/tenant[name='t1']/deployments/deployment_name",
    "esc_datamodel/opdata/tenants/tenant[name='t1']/tenant_id",
    'esc_datamodel/opdata/tenants/tenant/deployments',
    'esc_datamodel/opdata',
  ])('when the XPath filter is %s, then writing the scope only gives what writing everything gives', (select) => {
    const s = state();
    const everything = written(filterByXpath([root(writeOpdata(s, 7))], select));
    const scoped = written(filterByXpath([root(writeOpdata(s, 7, xpathOpdataScope(select)))], select));
    expect(scoped).toBe(everything);
    expect(everything).not.toBe('');
  });

  it('when a filter names one deployment, then the scope holds only it; a filter without tenant names has no scope', () => {
    expect(
      subtreeOpdataScope(subtree(tenantFilter('<name>t1</name><deployments><deployment_name>d2</deployment_name></deployments>'))),
    ).toEqual(new Map([['t1', new Set(['d2'])]]));
    expect(xpathOpdataScope("esc_datamodel/opdata/tenants/tenant[name='t1']/deployments[deployment_name='d2']")).toEqual(
      new Map([['t1', new Set(['d2'])]]),
    );
    expect(subtreeOpdataScope(subtree(tenantFilter('<deployments/>')))).toBeUndefined();
    expect(xpathOpdataScope('esc_datamodel/opdata/tenants/tenant/deployments')).toBeUndefined();
  });
});
