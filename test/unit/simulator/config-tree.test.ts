import { applyEdit, keyOf, operationOf, stripOperations } from '../../../src/simulator/config-tree';
import { parseXml, writeElement } from '../../../src/xml';
import { ESC_NS, NC_NS, rpcErrorOf } from './sim-test-helpers';

const ROOT = '/rpc/edit-config/config/esc:esc_datamodel';
const model = (inner: string) => parseXml(`<esc_datamodel xmlns="${ESC_NS}" xmlns:nc="${NC_NS}">${inner}</esc_datamodel>`);
const tenants = (inner: string) => model(`<tenants>${inner}</tenants>`);
/** The tree as text, without the root's namespace declaration. */
const text = (el: ReturnType<typeof model>): string => writeElement(el, ESC_NS);

describe('keyOf', () => {
  it.each([
    ['<tenant><name> t1 </name></tenant>', 't1'],
    ['<interface><network>n</network><nicid>2</nicid></interface>', '2'],
    ['<kpi><event_name>VM_ALIVE</event_name></kpi>', 'VM_ALIVE'],
    ['<configuration><dst>/etc/x</dst></configuration>', '/etc/x'],
  ])('when the list entry is %s, then the key is %p', (xml, key) => {
    expect(keyOf(parseXml(xml))).toBe(key);
  });

  it('when the element is a container or a list entry without its key, then there is no key', () => {
    expect(keyOf(parseXml('<tenants><tenant/></tenants>'))).toBeUndefined();
    expect(keyOf(parseXml('<tenant><tenant_id>x</tenant_id></tenant>'))).toBeUndefined();
  });
});

describe('operationOf', () => {
  it('when nc:operation is set, then it is returned', () => {
    expect(operationOf(parseXml(`<tenant xmlns:nc="${NC_NS}" nc:operation="delete"/>`), '/p')).toBe('delete');
  });

  it('when operation has no namespace, then it is accepted too', () => {
    expect(operationOf(parseXml('<tenant operation="replace"/>'), '/p')).toBe('replace');
  });

  it('when there is no operation, then it is undefined', () => {
    expect(operationOf(parseXml('<tenant/>'), '/p')).toBeUndefined();
  });

  it('when the operation is not an RFC 6241 one, then it is a bad-element protocol error', () => {
    const err = rpcErrorOf(() => operationOf(parseXml('<tenant operation="drop"/>'), '/p/esc:tenant'));
    expect([err.tag, err.message, err.details]).toEqual([
      'bad-element',
      'invalid operation "drop"',
      { path: '/p/esc:tenant', badElement: 'tenant', type: 'protocol' },
    ]);
  });
});

describe('applyEdit', () => {
  const current = tenants(
    '<tenant><name>t1</name><deployments><deployment><name>d1</name><vm_group><name>g</name><image>a</image></vm_group></deployment></deployments></tenant>' +
      '<tenant><name>t2</name></tenant>',
  );

  it('when a new list entry is merged, then it is appended after the existing ones', () => {
    const next = applyEdit(current, tenants('<tenant><name>t3</name></tenant>'), 'merge', ROOT);
    expect(next.children[0].children.map((t) => keyOf(t))).toEqual(['t1', 't2', 't3']);
  });

  it('when an existing entry is merged, then leaves are replaced and other children kept', () => {
    const next = applyEdit(
      current,
      tenants(
        '<tenant><name>t1</name><deployments><deployment><name>d1</name><vm_group><name>g</name><image>b</image><flavor>f</flavor></vm_group></deployment></deployments></tenant>',
      ),
      'merge',
      ROOT,
    );
    expect(text(next)).toBe(
      '<esc_datamodel><tenants><tenant><name>t1</name><deployments><deployment><name>d1</name>' +
        '<vm_group><name>g</name><image>b</image><flavor>f</flavor></vm_group></deployment></deployments></tenant><tenant><name>t2</name></tenant></tenants></esc_datamodel>',
    );
  });

  it('when an entry is replaced, then its old children are gone', () => {
    const next = applyEdit(current, tenants('<tenant nc:operation="replace"><name>t1</name></tenant>'), 'merge', ROOT);
    expect(text(next)).toBe(
      '<esc_datamodel><tenants><tenant><name>t1</name></tenant><tenant><name>t2</name></tenant></tenants></esc_datamodel>',
    );
  });

  it('when an entry is deleted, then it is removed', () => {
    const next = applyEdit(current, tenants('<tenant nc:operation="delete"><name>t2</name></tenant>'), 'merge', ROOT);
    expect(next.children[0].children.map((t) => keyOf(t))).toEqual(['t1']);
  });

  it('when a missing entry is deleted, then it is data-missing with the entry path', () => {
    const err = rpcErrorOf(() => applyEdit(current, tenants('<tenant nc:operation="delete"><name>t9</name></tenant>'), 'merge', ROOT));
    expect([err.tag, err.message, err.details]).toEqual([
      'data-missing',
      `${ROOT}/esc:tenants/esc:tenant[name='t9'] does not exist`,
      { path: `${ROOT}/esc:tenants/esc:tenant[name='t9']`, badElement: 'tenant' },
    ]);
  });

  it('when a missing entry is removed, then nothing happens', () => {
    const next = applyEdit(current, tenants('<tenant nc:operation="remove"><name>t9</name></tenant>'), 'merge', ROOT);
    expect(text(next)).toBe(text(current));
  });

  it('when an existing entry is created, then it is data-exists', () => {
    const err = rpcErrorOf(() => applyEdit(current, tenants('<tenant nc:operation="create"><name>t2</name></tenant>'), 'merge', ROOT));
    expect([err.tag, err.details.path]).toEqual(['data-exists', `${ROOT}/esc:tenants/esc:tenant[name='t2']`]);
  });

  it('when a new entry is created, then its children are merged in', () => {
    const next = applyEdit(current, tenants('<tenant nc:operation="create"><name>t3</name><deployments/></tenant>'), 'merge', ROOT);
    expect(text(next)).toContain('<tenant><name>t3</name><deployments/></tenant>');
  });

  it('when the inherited operation is delete, then the top elements of the edit (here the tenants container) are deleted', () => {
    const next = applyEdit(current, tenants('<tenant><name>t2</name></tenant>'), 'delete', ROOT);
    expect(next.children).toHaveLength(0);
  });

  it('when an edit is applied, then the existing tree is unchanged and untouched subtrees keep their identity', () => {
    const before = text(current);
    const next = applyEdit(current, tenants('<tenant><name>t2</name><deployments/></tenant>'), 'merge', ROOT);
    expect(text(current)).toBe(before);
    expect(next).not.toBe(current);
    expect(next.children[0].children[0]).toBe(current.children[0].children[0]);
    expect(next.children[0].children[1]).not.toBe(current.children[0].children[1]);
  });

  it('when leaf-list entries are merged, then entries with other values are added and equal ones kept once', () => {
    const rule = (actions: string) => model(`<rule><event_name>E</event_name>${actions}</rule>`);
    const next = applyEdit(rule('<action>A</action>'), rule('<action>A</action><action>B</action>'), 'merge', ROOT);
    expect(text(next)).toBe('<esc_datamodel><rule><event_name>E</event_name><action>A</action><action>B</action></rule></esc_datamodel>');
  });
});

describe('applyEdit on a long list', () => {
  /** Tenant t's deployments as `name:image` in list order. */
  const deps = (tree: ReturnType<typeof model>): string[] =>
    tree.children[0].children[0].children[1].children.map(
      (d) =>
        `${d.children
          .filter((c) => c.name === 'name')
          .map((c) => c.text)
          .join('+')}:${d.children.find((c) => c.name === 'image')?.text ?? ''}`,
    );
  const edit = (inner: string) => tenants(`<tenant><name>t</name><deployments>${inner}</deployments></tenant>`);
  const apply = (tree: ReturnType<typeof model>, inner: string) => applyEdit(tree, edit(inner), 'merge', ROOT);
  const fifty = (): ReturnType<typeof model> => {
    let tree = tenants('');
    for (let i = 0; i < 50; i++) tree = apply(tree, `<deployment><name>d${i}</name><image>a</image></deployment>`);
    return tree;
  };

  it('when entries are merged, deleted and added one edit after another, then each edit finds the right entry', () => {
    let tree = fifty();
    const expected = Array.from({ length: 50 }, (_, i) => `d${i}:a`);
    tree = apply(tree, '<deployment><name>d25</name><image>b</image></deployment>');
    expected[25] = 'd25:b';
    tree = apply(tree, '<deployment nc:operation="delete"><name>d10</name></deployment>');
    expected.splice(10, 1);
    tree = apply(tree, '<deployment><name>d10</name><image>c</image></deployment>');
    expected.push('d10:c');
    tree = apply(
      tree,
      '<deployment><name>d49</name><image>d</image></deployment><deployment><name>d10</name><image>e</image></deployment>',
    );
    expected[expected.indexOf('d49:a')] = 'd49:d';
    expected[expected.length - 1] = 'd10:e';
    expect(deps(tree)).toEqual(expected);
    expect(rpcErrorOf(() => apply(tree, '<deployment nc:operation="delete"><name>d99</name></deployment>')).tag).toBe('data-missing');
    expect(rpcErrorOf(() => apply(tree, '<deployment nc:operation="create"><name>d3</name></deployment>')).tag).toBe('data-exists');
  });

  it('when an edit fails half-way or an old tree is edited again, then later edits of either tree still find their entries', () => {
    const tree = fifty();
    expect(
      rpcErrorOf(() =>
        apply(
          tree,
          '<deployment><name>d5</name><image>x</image></deployment><deployment nc:operation="delete"><name>nope</name></deployment>',
        ),
      ).tag,
    ).toBe('data-missing');
    const a = apply(tree, '<deployment><name>d5</name><image>y</image></deployment>');
    const b = apply(tree, '<deployment nc:operation="delete"><name>d5</name></deployment>');
    const c = apply(a, '<deployment nc:operation="delete"><name>d6</name></deployment>');
    expect([deps(a)[5], deps(b)[5], deps(c).slice(4, 7)]).toEqual(['d5:y', 'd6:a', ['d4:a', 'd5:y', 'd7:a']]);
  });

  it('when a list holds a name twice or an edit changes an entry key, then the first entry of a name is the one edited', () => {
    let tree = applyEdit(
      fifty(),
      tenants(
        '<tenant><name>t</name><deployments nc:operation="replace">' +
          Array.from({ length: 40 }, (_, i) => `<deployment><name>d${i % 35}</name><image>${i}</image></deployment>`).join('') +
          '</deployments></tenant>',
      ),
      'merge',
      ROOT,
    );
    tree = apply(tree, '<deployment><name>d2</name><image>first</image></deployment>');
    tree = apply(tree, '<deployment nc:operation="delete"><name>d3</name></deployment>');
    expect(deps(tree).filter((d) => /^d[23]:/.test(d))).toEqual(['d2:first', 'd2:37', 'd3:38']);
    // Two name leaves: the entry is found by the first and ends up with the second as its key.
    tree = apply(tree, '<deployment><name>d4</name><name>d44</name><image>renamed</image></deployment>');
    tree = apply(tree, '<deployment><name>d44</name><image>again</image></deployment>');
    tree = apply(tree, '<deployment><name>d4</name><image>second</image></deployment>');
    expect(deps(tree).filter((d) => /^d44?:/.test(d))).toEqual(['d44:again', 'd4:second']);
  });
});

describe('stripOperations', () => {
  it('when an edit carries nc:operation attributes and padded leaves, then the copy has neither', () => {
    const copy = stripOperations(
      parseXml(
        `<tenant xmlns:nc="${NC_NS}" nc:operation="replace" other="x"><name> t1 </name><deployments nc:operation="merge"/></tenant>`,
      ),
    );
    expect(writeElement(copy)).toBe('<tenant other="x"><name>t1</name><deployments/></tenant>');
  });
});
