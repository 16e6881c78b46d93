import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yanglintAvailable, yanglintProblem } from '../../support/yanglint';

const MODULE = join(__dirname, '../../../src/simulator/yang/esc-sim.yang');
/** The edit-config `operation` attribute, which undeploy uses. */
const NC_OPERATION = join(__dirname, 'nc-operation.yang');
const GOLDEN = join(__dirname, '../../fixtures/esc/golden');
const goldens = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.xml'))
  .sort();

const available = yanglintAvailable();
const maybe = available ? describe : describe.skip;

/** yanglint's complaint about `text` as edit-config content (a `get-…` filter: as get data), or '' when it validates. */
function lintEdit(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return yanglintProblem(name.startsWith('get-') ? 'get' : 'edit', [MODULE, NC_OPERATION], file, name);
}

describe('golden files of what the driver sends', () => {
  test('when listed, then every edit-config body and filter the driver sends has one, citing the guide example and its lines', () => {
    expect(goldens).toEqual(
      expect.arrayContaining([
        'deployment-two-vdus.xml',
        'deployment-two-vdus-elastic.xml',
        'flavor-create.guide-1729-1750.xml',
        'vim-connector-create.guide-552-600.xml',
        'vim-user-create.guide-800-838.xml',
        'vm-group-locator.guide-2871-2902.xml',
        'get-deployment-opdata-filter.xml',
        'scale.xml',
        'service-start.xml',
        'service-stop.xml',
        'undeploy.xml',
        'vm-reboot-forced.xml',
      ]),
    );
    for (const name of goldens) {
      expect([name, readFileSync(join(GOLDEN, name), 'utf8').split('\n')[0]]).toEqual([
        name,
        expect.stringMatching(/^<!-- Derived from the ESC NETCONF guide: "[^"]+" example, lines \d+-\d+.* -->$/),
      ]);
    }
  });
});

maybe('golden edit-configs against the project YANG module (yanglint)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'golden-yang-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(goldens)('when %s is read as edit-config content (or get data), then yanglint accepts it', (name) => {
    expect(lintEdit(dir, name, readFileSync(join(GOLDEN, name), 'utf8'))).toBe('');
  });

  test.each([
    ['a subnet inside a vm_group interface', (x: string) => x.replace('</network>\n', '</network>\n<subnet>s</subnet>\n'), 'subnet'],
    ['day-0 text as <data>', (x: string) => x.replace(/<file>(.*)<\/file>/, '<data>$1</data>'), 'data'],
    ['a kpi outside kpi_data', (x: string) => x.replace('<kpi_data>', '<kpi><event_name>X</event_name></kpi><kpi_data>'), 'kpi'],
  ])('when the deployment carries %s, then yanglint refuses it', (_what, change, element) => {
    const text = change(readFileSync(join(GOLDEN, 'deployment-two-vdus.xml'), 'utf8'));
    expect(lintEdit(dir, 'changed.xml', text)).toContain(`Node "${element}" not found`);
  });
});
