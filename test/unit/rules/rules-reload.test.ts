import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLog, type Log } from '../../../src/logging/log';
import { RulesEngine } from '../../../src/rules/rules-engine';
import { loadRulesFile } from '../../../src/rules/rules-file';
import { reloadRules } from '../../../src/rules/rules-source';

const rule = (name: string) => `  - name: ${name}\n    event: { kind: escUnreachable }\n    actions: [ { log: { message: m } } ]\n`;

describe('rules reload', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when the file is edited, then the new rules apply; when it turns invalid, then the error is logged and the old rules stay', () => {
    const file = path.join(dir, 'rules.yaml');
    fs.writeFileSync(file, `rules:\n${rule('a')}`);
    const errors: unknown[] = [];
    const log: Log = { ...silentLog, error: (_m: string, meta?: Record<string, unknown>) => errors.push(meta), child: () => log };
    const engine = new RulesEngine({ log }, loadRulesFile(file));

    fs.writeFileSync(file, `rules:\n${rule('a')}${rule('b')}`);
    expect(reloadRules(engine, file, log)).toEqual({ kept: ['a'], added: ['b'], replaced: [], removed: [] });
    expect(engine.ruleNames).toEqual(['a', 'b']);

    fs.writeFileSync(file, `rules:\n${rule('a')}  - name: c\n    event: { kind: nope }\n    actions: []\n`);
    expect(reloadRules(engine, file, log)).toBeUndefined();
    expect(engine.ruleNames).toEqual(['a', 'b']);
    expect(errors).toEqual([
      {
        file,
        problems: [
          {
            rule: "rule 'c' (rules[1])",
            field: 'event.kind',
            reason: 'must be one of escEvent, escUnreachable, escReachable, jobFailed, reconcileDifference, vmRemoved, vnfTerminated',
          },
          { rule: "rule 'c' (rules[1])", field: 'actions', reason: 'must be a non-empty list' },
        ],
      },
    ]);
  });
});
