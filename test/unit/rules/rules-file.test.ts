import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRulesFile, parseRules, RulesFileError } from '../../../src/rules/rules-file';
import { DEFAULT_RULES_FILE } from '../../../src/rules/rules-source';

function problemsOf(text: string): string[] {
  try {
    parseRules(text, 'rules.yaml');
  } catch (err) {
    if (err instanceof RulesFileError) return err.problems.map((p) => `${p.rule} | ${p.field} | ${p.reason}`);
    throw err;
  }
  throw new Error('expected a RulesFileError');
}

const GOOD = `
rules:
  - name: vdu-flapping
    event: { types: [VM_ALIVE], statuses: [failure] }
    filter: { vdu: vdu_fw, healingOwner: onap }
    trigger: { count: 3, windowSeconds: 60, groupBy: vdu }
    actions:
      - raiseFault: { alarmCondition: vmFlapping, specificProblem: 'VM {vmName} flaps', severity: CRITICAL }
      - vmAction: { action: REBOOT, force: true }
      - log: { message: 'flapping {vmName}' }
  - name: job-failed
    event: { kind: jobFailed }
    actions:
      - clearFault: { alarmCondition: x }
      - recoveryVmAction: {}
      - notification: { changeType: jobFailed, source: vnf }
`;

describe('rules file', () => {
  it('when the file is well formed, then every rule is read with its defaults filled in', () => {
    const [flap, job] = parseRules(GOOD, 'rules.yaml');
    expect(flap).toEqual({
      name: 'vdu-flapping',
      event: { kind: 'escEvent', types: ['VM_ALIVE'], statuses: ['FAILURE'] },
      filter: { vdu: 'vdu_fw', healingOwner: 'onap' },
      trigger: { count: 3, windowSeconds: 60, groupBy: 'vdu' },
      actions: [
        { raiseFault: { alarmCondition: 'vmFlapping', specificProblem: 'VM {vmName} flaps', severity: 'CRITICAL', vfStatus: 'Active' } },
        { vmAction: { action: 'REBOOT', force: true } },
        { log: { level: 'info', message: 'flapping {vmName}' } },
      ],
    });
    expect(job.actions[0]).toEqual({ clearFault: { alarmCondition: 'x', specificProblem: 'x', vfStatus: 'Active' } });
    expect(job.filter).toEqual({});
  });

  it('when JSON is given, then it is read as well', () => {
    const json = JSON.stringify({ rules: [{ name: 'r', event: { kind: 'escUnreachable' }, actions: [{ log: { message: 'm' } }] }] });
    expect(parseRules(json, 'rules.json').map((r) => r.name)).toEqual(['r']);
  });

  it.each([
    ['a count without a window', `trigger: { count: 3 }`, "rule 'r' (rules[0]) | trigger.windowSeconds | is required with count"],
    ['a count of 0', `trigger: { count: 0, windowSeconds: 5 }`, "rule 'r' (rules[0]) | trigger.count | must be an integer from 1 to 10000"],
    [
      'an unknown group',
      `trigger: { count: 2, windowSeconds: 5, groupBy: host }`,
      "rule 'r' (rules[0]) | trigger.groupBy | must be one of vm, vdu, vnf, deployment, escHost",
    ],
    [
      'a threshold on an unknown field',
      `trigger: { threshold: { field: cpu, operator: '>', value: 1 } }`,
      "rule 'r' (rules[0]) | trigger.threshold.field | must be one of statusCode, addedCount, removedCount",
    ],
    [
      'an unknown filter',
      `filter: { host: x }`,
      "rule 'r' (rules[0]) | filter.host | is not a known field (deployment, vnfInstanceId, vdu, vm, escHost, healingOwner)",
    ],
  ])('when a rule has %s, then the error names the rule and the field', (_what, extra, problem) => {
    const text = `rules:\n  - name: r\n    event: { types: [VM_ALIVE] }\n    ${extra}\n    actions: [ { log: { message: m } } ]\n`;
    expect(problemsOf(text)).toEqual([problem]);
  });

  it('when actions are wrong, then each problem names the rule by name or index, and the action field', () => {
    const text = `
rules:
  - name: fault
    event: { types: [VM_ALIVE] }
    actions:
      - raiseFault: { alarmCondition: a, specificProblem: b, severity: NORMAL }
      - reboot: {}
  - event: { kind: escReachable, types: [VM_ALIVE] }
    actions: []
  - name: fault
    event: { types: [VM_ALIVE] }
    actions: [ { log: { message: m } } ]
  - name: source-removed
    event: { kind: vmRemoved }
    actions: [ { log: { message: m } } ]
`;
    expect(problemsOf(text)).toEqual([
      "rule 'fault' (rules[0]) | actions[0].raiseFault.severity | must be one of CRITICAL, MAJOR, MINOR, WARNING",
      "rule 'fault' (rules[0]) | actions[1] | must hold exactly one of raiseFault, clearFault, notification, vmAction, recoveryVmAction, log",
      'rules[1] | name | is required',
      'rules[1] | event.types | types and statuses apply to escEvent only, not to escReachable',
      'rules[1] | actions | must be a non-empty list',
      "rule 'fault' (rules[2]) | name | is used by an earlier rule; names must be unique",
      "rule 'source-removed' (rules[3]) | name | is taken by the driver's own clearing of removed VMs and VNFs",
    ]);
  });

  it('when the file is not YAML or has no rules list, then the error says so', () => {
    expect(problemsOf('rules: [')[0]).toMatch(/^\(file\) \| \(file\) \| is not YAML or JSON/);
    expect(problemsOf('other: 1')).toEqual(['(file) | rules | must be a list of rules']);
  });

  it('when the file cannot be read, then the error names the file', () => {
    const missing = path.join(os.tmpdir(), `no-such-rules-${process.pid}.yaml`);
    expect(() => loadRulesFile(missing)).toThrow(RulesFileError);
    expect(() => loadRulesFile(missing)).toThrow(missing);
  });

  it('when the shipped default rules are read, then they are valid and cover VM down/back, recovery failed, ESC reachability and elastic scaling', () => {
    const rules = loadRulesFile(DEFAULT_RULES_FILE);
    expect(fs.existsSync(DEFAULT_RULES_FILE)).toBe(true);
    expect(rules.map((r) => r.name)).toEqual([
      'vm-down-esc-recovering',
      'vm-down',
      'vm-recovered',
      'vm-alive',
      'vm-recovery-failed',
      'esc-unreachable',
      'esc-reachable',
      'elastic-scale-done',
    ]);
  });
});
