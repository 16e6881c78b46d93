import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS, type ServiceConfig } from './config-schema';
import { stripUrlCredentials } from '../logging/redact';
import type { SecretRegistry } from '../logging/secret-registry';

/** One key that failed validation. */
export interface ConfigProblem {
  key: string;
  reason: string;
}

/** Raised when the configuration is invalid; `problems` names every bad key. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.key} ${p.reason}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Raw values: environment-style keys to text (numbers and booleans in a JSON file are accepted too). */
export type RawConfig = Record<string, string | number | boolean | undefined>;

/** The default configuration file shipped with the service (`config/default.json`). */
export const DEFAULT_CONFIG_FILE = path.join(__dirname, '..', '..', 'config', 'default.json');

/** Reads a JSON configuration file of environment-style keys; a missing file gives `{}`. */
export function readConfigFile(file: string, required = false): RawConfig {
  if (!fs.existsSync(file)) {
    if (required) throw new ConfigError([{ key: 'CONFIG_FILE', reason: `file ${file} does not exist` }]);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([{ key: 'CONFIG_FILE', reason: `${file} is not valid JSON: ${(err as Error).message}` }]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError([{ key: 'CONFIG_FILE', reason: `${file} is not a JSON object` }]);
  return parsed as RawConfig;
}

/**
 * Builds the typed configuration from layers, later ones winning (file, then environment, then overrides).
 * Throws ConfigError naming each bad key. Unknown keys are ignored (the environment holds many).
 */
export function buildConfig(...layers: RawConfig[]): ServiceConfig {
  const merged: RawConfig = {};
  for (const layer of layers) {
    for (const key of CONFIG_KEYS) {
      const v = layer[key.env];
      if (v !== undefined && v !== '') merged[key.env] = v;
    }
  }
  const out: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const key of CONFIG_KEYS) {
    const raw = merged[key.env] ?? key.default;
    if (raw === undefined) continue;
    try {
      out[key.field] = key.parse(String(raw));
    } catch (err) {
      problems.push({ key: key.env, reason: (err as Error).message });
    }
  }
  // A lease renewed less often than it lasts would run out between two renewals.
  if (typeof out.leaseRenewMs === 'number' && typeof out.leaseTtlMs === 'number' && out.leaseRenewMs * 2 > out.leaseTtlMs) {
    problems.push({ key: 'LEASE_RENEW_MS', reason: `must be at most half of LEASE_TTL_MS (${out.leaseTtlMs}), got ${out.leaseRenewMs}` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  out.servicePort ??= out.port;
  return out as unknown as ServiceConfig;
}

/** Loads the configuration the service runs with: config file (CONFIG_FILE or the default), then `env`. */
export function loadConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  // A file named in CONFIG_FILE must exist; the bundled default may be absent (the schema has every default).
  const named = env.CONFIG_FILE !== undefined && env.CONFIG_FILE !== '';
  return buildConfig(readConfigFile(named ? env.CONFIG_FILE! : DEFAULT_CONFIG_FILE, named), env);
}

/** The configuration with secrets masked and user-info removed from URLs (MSB_URL), for a start-up log line. */
export function describeConfig(config: ServiceConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = config[key.field];
    out[key.env] = key.secret ? '***' : typeof value === 'string' ? stripUrlCredentials(value) : value;
  }
  return out;
}

/** Hands the secrets the settings hold to `secrets`: values of secret keys, and the password of any URL's user-info (MSB_URL). */
export function registerSettingSecrets(config: ServiceConfig, secrets: SecretRegistry): void {
  for (const key of CONFIG_KEYS) {
    const value = config[key.field];
    if (typeof value !== 'string') continue;
    if (key.secret) secrets.add(value);
    else secrets.addUrlCredentials(value);
  }
}
