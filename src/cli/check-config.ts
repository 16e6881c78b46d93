import { ConfigError, describeConfig, loadConfig } from '../config/config-loader';
import type { ServiceConfig } from '../config/config-schema';
import { loadConfiguredRules, rulesFileOf, rulesProblemLines } from '../rules/rules-source';
import type { CliOutput } from './cli-output';

/**
 * `check-config`: validates the settings and the rules file as `serve` would read them; 0 when valid, 1 naming every
 * problem.
 */
export function checkConfig(env: NodeJS.ProcessEnv, out: CliOutput): number {
  let config: ServiceConfig;
  try {
    config = loadConfig(env);
    out.stdout(`configuration is valid${env.CONFIG_FILE ? ` (CONFIG_FILE ${env.CONFIG_FILE} and the environment)` : ''}:\n`);
    for (const [key, value] of Object.entries(describeConfig(config))) {
      if (value !== undefined) out.stdout(`  ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    }
  } catch (err) {
    const lines = err instanceof ConfigError ? err.problems.map((p) => `  ${p.key}: ${p.reason}`) : [`  ${(err as Error).message}`];
    out.stderr(`invalid configuration:\n${lines.join('\n')}\n`);
    return 1;
  }
  try {
    const rules = loadConfiguredRules(config);
    out.stdout(`rules file ${rulesFileOf(config)} is valid: ${rules.map((r) => r.name).join(', ') || '(no rules)'}\n`);
    return 0;
  } catch (err) {
    out.stderr(`invalid rules file ${rulesFileOf(config)}:\n${rulesProblemLines(err).join('\n')}\n`);
    return 1;
  }
}
