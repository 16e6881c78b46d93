/** The demo's plans: the lifecycle walk (default), or the closed loop (VM failure → VES fault → recovery or heal). */
export const DEMO_PLANS = ['walk', 'closed-loop'] as const;
export type DemoPlanName = (typeof DEMO_PLANS)[number];

/** What `npm run demo` is asked for on its command line and in its environment. */
export interface DemoFlags {
  /** Which plan to run (`npm run demo -- closed-loop`); default `walk`. */
  plan: DemoPlanName;
  /** Print each Notify's full JSON under its summary line. */
  notifyJson: boolean;
}

/**
 * Reads the plan name and `--notify-json` (or DEMO_NOTIFY_JSON=true|false) from the demo's arguments and environment.
 * @throws Error naming the argument or the key when it is not one the demo knows
 */
export function readDemoFlags(args: readonly string[], env: Readonly<Record<string, string | undefined>>): DemoFlags {
  const plans = args.filter((a) => (DEMO_PLANS as readonly string[]).includes(a)) as DemoPlanName[];
  const unknown = args.filter((a) => a !== '--notify-json' && !(DEMO_PLANS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new Error(`unknown argument ${unknown[0]} (the demo takes a plan, ${DEMO_PLANS.join(' or ')}, and --notify-json)`);
  }
  if (plans.length > 1) throw new Error(`one plan at a time, got ${plans.join(' and ')}`);
  const fromEnv = env.DEMO_NOTIFY_JSON;
  if (fromEnv !== undefined && fromEnv !== 'true' && fromEnv !== 'false') {
    throw new Error(`DEMO_NOTIFY_JSON must be true or false, got "${fromEnv}"`);
  }
  return { plan: plans[0] ?? 'walk', notifyJson: args.includes('--notify-json') || fromEnv === 'true' };
}
