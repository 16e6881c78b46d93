import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../../src/config/config-loader';
import { CONFIG_KEYS } from '../../../src/config/config-schema';

const REPO = path.resolve(__dirname, '..', '..', '..');
const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const START = '<!-- settings-table:start -->';
const END = '<!-- settings-table:end -->';

/** Settings the README documents besides CONFIG_KEYS: read by the loader itself, not part of the schema. */
const LOADER_KEYS: Readonly<Record<string, { default: string; doc: string }>> = {
  CONFIG_FILE: {
    default: path.relative(REPO, DEFAULT_CONFIG_FILE).split(path.sep).join('/'),
    doc: 'JSON file of the keys above (environment only; a missing file means no file)',
  },
};

/** One row of the README's settings table, as written (`\|` unescaped). */
interface SettingsRow {
  key: string;
  default?: string;
  meaning: string;
}

/** Reads the rows between the settings-table markers. */
function readSettingsTable(readme: string): SettingsRow[] {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no settings table between ${START} and ${END}`);
  const rows = readme
    .slice(start + START.length, end)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'));
  return rows.slice(2).map((line) => {
    const cells = line
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
    const [key, def, meaning] = cells;
    const keyMatch = /^`([A-Z0-9_]+)`$/.exec(key ?? '');
    if (cells.length !== 3 || !keyMatch) throw new Error(`README settings row cannot be read: ${line}`);
    const defMatch = /^`(.*)`$/.exec(def);
    if (!defMatch && def !== '(unset)')
      throw new Error(`README settings row ${keyMatch[1]}: default must be \`value\` or (unset), got ${def}`);
    return { key: keyMatch[1], default: defMatch?.[1], meaning: meaning };
  });
}

/** What is wrong with the README's settings table compared with CONFIG_KEYS (empty when it matches). */
function settingsProblems(readme: string): string[] {
  const rows = readSettingsTable(readme);
  const problems: string[] = [];
  const expected = new Map<string, { default?: string; doc: string }>(CONFIG_KEYS.map((k) => [k.env, { default: k.default, doc: k.doc }]));
  for (const [key, value] of Object.entries(LOADER_KEYS)) expected.set(key, value);
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.key)) problems.push(`${row.key} is listed twice`);
    seen.add(row.key);
    const want = expected.get(row.key);
    if (!want) {
      problems.push(`${row.key} is in the README but is no configuration key`);
      continue;
    }
    if (row.default !== want.default)
      problems.push(`${row.key}: README default ${row.default ?? '(unset)'}, schema default ${want.default ?? '(unset)'}`);
    if (row.meaning !== want.doc) problems.push(`${row.key}: README meaning "${row.meaning}", schema doc "${want.doc}"`);
  }
  for (const key of expected.keys()) if (!seen.has(key)) problems.push(`${key} is missing from the README settings table`);
  return problems;
}

describe('the README settings table', () => {
  it('when compared with CONFIG_KEYS, then it lists every key, no other, with the schema default and doc', () => {
    expect(settingsProblems(README)).toEqual([]);
    expect(readSettingsTable(README).map((r) => r.key)).toEqual([...CONFIG_KEYS.map((k) => k.env), ...Object.keys(LOADER_KEYS)]);
  });

  it('when a CONFIG_KEYS entry has no row, then the check names it', () => {
    const withoutRow = README.split('\n')
      .filter((l) => !l.startsWith('| `MSB_RETRY_MAX_MS` |'))
      .join('\n');
    expect(settingsProblems(withoutRow)).toEqual(['MSB_RETRY_MAX_MS is missing from the README settings table']);
  });

  it('when the README lists a key that does not exist, then the check names it', () => {
    const withExtra = README.replace(END, `| \`ESC_PASSWORD\` | (unset) | not a setting |\n${END}`);
    expect(settingsProblems(withExtra)).toEqual(['ESC_PASSWORD is in the README but is no configuration key']);
  });

  it('when a default or a meaning drifts from the schema, then the check names the key', () => {
    const drifted = README.replace('| `PORT` | `8489` |', '| `PORT` | `8080` |').replace('| NETCONF port of ESC |', '| the port |');
    expect(settingsProblems(drifted)).toEqual([
      'PORT: README default 8080, schema default 8489',
      'ESC_NETCONF_PORT: README meaning "the port", schema doc "NETCONF port of ESC"',
    ]);
  });

  it('when CONFIG_FILE names a JSON file, then the loader reads it (the one documented key outside CONFIG_KEYS)', () => {
    expect(CONFIG_KEYS.some((k) => k.env === 'CONFIG_FILE')).toBe(false);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-settings-'));
    try {
      const file = path.join(dir, 'settings.json');
      fs.writeFileSync(file, JSON.stringify({ PORT: 9123, LOG_LEVEL: 'warn' }));
      expect(loadConfig({ CONFIG_FILE: file, LOG_LEVEL: 'debug' })).toMatchObject({ port: 9123, logLevel: 'debug' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
