import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseXml, writeXml, type XmlElement, type XmlNode } from '../../../../src/xml';

export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'esc');

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function readGuideXml(name: string): XmlElement {
  return parseXml(readFixture(join('guide', name)));
}

/** Indented XML, one element per line; leaves (text-only elements) are written by writeXml as they are. */
export function prettyXml(node: XmlNode, depth = 0): string {
  const pad = '  '.repeat(depth);
  const kids = (node.children ?? []).filter((c) => c !== null && c !== undefined);
  if (!kids.some((c) => typeof c === 'object')) return `${pad}${writeXml(node)}\n`;
  const open = writeXml({ ...node, children: [] }).replace(/\/>$/, '>');
  const inner = kids.map((c) => (typeof c === 'object' ? prettyXml(c, depth + 1) : `${pad}  ${writeXml(c)}\n`)).join('');
  return `${pad}${open}\n${inner}${pad}</${node.name}>\n`;
}

/** The first line of an XML golden file: the ESC guide example it is derived from. */
export function guideCitation(guide: string): string {
  return `<!-- Derived from the ESC NETCONF guide: ${guide} -->\n`;
}

/**
 * Compares with `golden/<name>`; UPDATE_GOLDEN=1 rewrites the file instead. An XML golden file starts with the
 * {@link guideCitation} of the guide example (section and lines) it follows.
 */
export function expectGolden(name: string, actual: string, guide?: string): void {
  if (name.endsWith('.xml') && guide === undefined) throw new Error(`golden file ${name} needs the guide example it follows`);
  if (guide !== undefined) actual = guideCitation(guide) + actual;
  const path = join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
