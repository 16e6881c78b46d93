/** What `npm run demo` is asked for on its command line and in its environment. */
export interface DemoFlags {
  /** Print each Notify's full JSON under its summary line. */
  notifyJson: boolean;
}

/**
 * Reads `--notify-json` (or DEMO_NOTIFY_JSON=true|false) from the demo's arguments and environment.
 * @throws Error naming the argument or the key when it is not one the demo knows
 */
export function readDemoFlags(args: readonly string[], env: Readonly<Record<string, string | undefined>>): DemoFlags {
  const unknown = args.filter((a) => a !== '--notify-json');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (the demo takes only --notify-json)`);
  const fromEnv = env.DEMO_NOTIFY_JSON;
  if (fromEnv !== undefined && fromEnv !== 'true' && fromEnv !== 'false') {
    throw new Error(`DEMO_NOTIFY_JSON must be true or false, got "${fromEnv}"`);
  }
  return { notifyJson: args.includes('--notify-json') || fromEnv === 'true' };
}
