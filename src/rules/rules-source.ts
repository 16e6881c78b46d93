import path from 'node:path';
import type { Log } from '../logging/log';
import type { Rule } from './rule-model';
import { loadRulesFile, RulesFileError } from './rules-file';
import type { RulesChange, RulesEngine } from './rules-engine';

/** The rules shipped with the service, used when RULES_FILE is unset. */
export const DEFAULT_RULES_FILE = path.join(__dirname, '..', '..', 'config', 'rules.default.yaml');

/** The rules file a configuration names: RULES_FILE, else the bundled default. */
export function rulesFileOf(config: { rulesFile?: string }): string {
  return config.rulesFile ?? DEFAULT_RULES_FILE;
}

/** Reads the configured rules file. @throws RulesFileError naming each rule and field that is wrong */
export function loadConfiguredRules(config: { rulesFile?: string }): Rule[] {
  return loadRulesFile(rulesFileOf(config));
}

/** The lines that say why a rules file cannot be used, one per problem: `  <rule>: <field>: <reason>`. */
export function rulesProblemLines(err: unknown): string[] {
  return err instanceof RulesFileError ? err.problems.map((p) => `  ${p.rule}: ${p.field}: ${p.reason}`) : [`  ${(err as Error).message}`];
}

/**
 * Re-reads the rules file into the engine (SIGHUP). A file that is now invalid is logged and changes nothing:
 * the rules in force stay, with their trigger windows. Resolves to what changed, or undefined when nothing could.
 */
export function reloadRules(engine: RulesEngine, file: string, log: Log): RulesChange | undefined {
  let rules: Rule[];
  try {
    rules = loadRulesFile(file);
  } catch (err) {
    const problems = err instanceof RulesFileError ? err.problems : [{ rule: '(file)', field: '(file)', reason: (err as Error).message }];
    log.error('rules file not reloaded: it is invalid; the rules in force stay', { file, problems });
    return undefined;
  }
  const change = engine.setRules(rules);
  log.info('rules reloaded', { file, ...change });
  return change;
}
