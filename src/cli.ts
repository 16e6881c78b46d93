#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { checkConfig } from './cli/check-config';
import { COMMAND, HELP, packageVersion } from './cli/cli-help';
import { processOutput, type CliOutput } from './cli/cli-output';
import { CommandFailed, followJobCommand, listJobs, listVnfs, showJob, showVnf, type DriverOptions } from './cli/operator-commands';

/** What a run of the CLI ends with: an exit code, or `serving` (the service runs on until signalled). */
export type CliOutcome = number | 'serving';

/** Starts the service (src/main.ts); loaded only for `serve`, so that the other commands start quickly. */
export type Serve = () => void;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  url: { type: 'string' },
  'vnfm-type': { type: 'string' },
  vnfm: { type: 'string' },
  json: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  status: { type: 'string' },
  operation: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

class UsageError extends Error {}

/** Runs one command line (`argv` without node and the script). */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, out: CliOutput, serve: Serve): Promise<CliOutcome> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) return print(out, HELP);
    if (values.version) return print(out, `${packageVersion()}\n`);
    const [command, sub, id, ...extra] = positionals;
    if (command === undefined) throw new UsageError('a command is needed');
    if (command === 'serve' || command === 'check-config') {
      if (positionals.length > 1) throw new UsageError(`${command} takes no arguments`);
      if (command === 'check-config') return checkConfig(env, out);
      serve();
      return 'serving';
    }
    if (command !== 'vnfs' && command !== 'jobs') throw new UsageError(`unknown command "${command}"`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const driver = driverOptions(values, env);
    const list = { status: values.status, operation: values.operation, limit: values.limit, cursor: values.cursor };
    if (sub === 'list') {
      if (id !== undefined) throw new UsageError(`${command} list takes no id`);
      if (command === 'vnfs' && list.operation !== undefined) throw new UsageError('--operation applies to jobs only');
      return command === 'vnfs' ? await listVnfs(driver, list, out) : await listJobs(driver, list, out);
    }
    const actions = command === 'vnfs' ? ['show'] : ['show', 'follow'];
    if (sub === undefined || !actions.includes(sub)) throw new UsageError(`${command} needs one of: list, ${actions.join(', ')}`);
    if (id === undefined || id === '') throw new UsageError(`${command} ${sub} needs an id`);
    if (command === 'vnfs') return await showVnf(driver, id, out);
    if (sub === 'show') return await showJob(driver, id, out);
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      return await followJobCommand(driver, id, out, abort.signal);
    } finally {
      process.off('SIGINT', onSigint);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out.stderr(`${COMMAND}: ${err.message}\nTry '${COMMAND} --help'.\n`);
      return 2;
    }
    if (err instanceof CommandFailed) {
      out.stderr(`${COMMAND}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

function print(out: CliOutput, text: string): number {
  out.stdout(text);
  return 0;
}

function driverOptions(
  values: { url?: string; 'vnfm-type'?: string; vnfm?: string; json?: boolean; 'timeout-ms'?: string },
  env: NodeJS.ProcessEnv,
): DriverOptions {
  const url = values.url ?? `http://127.0.0.1:${env.PORT || '8489'}`;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  }
  const timeout = values['timeout-ms'] ?? '10000';
  if (!/^\d{1,7}$/.test(timeout) || Number(timeout) < 1) throw new UsageError(`--timeout-ms must be a positive integer, got "${timeout}"`);
  return {
    url,
    vnfmType: values['vnfm-type'] ?? (env.VNFM_TYPE || 'ciscovnfmdriver'),
    vnfmId: values.vnfm ?? (env.VNFM_ID || 'standalone-esc'),
    timeoutMs: Number(timeout),
    json: values.json ?? false,
  };
}

/** `esc-vnfm-driver …`: the command line of the package (package.json "bin"). */
export function main(): void {
  const serve: Serve = () => {
    // Loaded here: `serve` is the only command that needs the service's modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous lazy load, so the other commands stay light
    (require('./main') as typeof import('./main')).serve();
  };
  runCli(process.argv.slice(2), process.env, processOutput, serve).then(
    (outcome) => {
      if (outcome !== 'serving') process.exitCode = outcome;
    },
    (err: Error) => {
      process.stderr.write(`${COMMAND}: unexpected failure: ${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
