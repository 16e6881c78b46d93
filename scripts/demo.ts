/**
 * `npm run demo`: walks one VNF through instantiate, scale out, heal, scale in and terminate against a
 * running driver in standalone mode, showing each job's progress, then one line per Notify message (its full
 * JSON too with `npm run demo -- --notify-json` or DEMO_NOTIFY_JSON=true).
 * `npm run demo -- closed-loop`: kills a VM in the simulated ESC and shows the VES fault the local VES sink received,
 * ESC's recovery and the clear; then, with ONAP as healing owner, the fault and a heal through the API.
 *
 * Environment: DRIVER_URL (default http://127.0.0.1:${PORT:-8489}), VNFM_TYPE (default ciscovnfmdriver),
 * DEMO_PLAN (default config/standalone/demo.json), DEMO_JOB_TIMEOUT_S (default 300), DEMO_NOTIFY_JSON (default false).
 * Exit code 0 when every job finished, 1 when a job failed or the driver is unreachable, 2 on bad input.
 */
import path from 'node:path';
import { DemoError } from '../src/standalone/demo/demo-errors';
import { readDemoFlags, type DemoFlags } from '../src/standalone/demo/demo-flags';
import { loadDemoPlan } from '../src/standalone/demo/demo-plan';
import { runClosedLoopDemo } from '../src/standalone/demo/demo-closed-loop';
import { runDemoWalk } from '../src/standalone/demo/demo-walk';
import { DEFAULT_STANDALONE_DIR } from '../src/standalone/standalone-config';

async function main(): Promise<number> {
  const env = process.env;
  const driverUrl = env.DRIVER_URL ?? `http://127.0.0.1:${env.PORT ?? '8489'}`;
  const jobTimeoutS = Number(env.DEMO_JOB_TIMEOUT_S ?? '300');
  if (!Number.isInteger(jobTimeoutS) || jobTimeoutS < 1) {
    process.stderr.write(`DEMO_JOB_TIMEOUT_S must be a positive integer, got "${env.DEMO_JOB_TIMEOUT_S}"\n`);
    return 2;
  }
  let flags: DemoFlags;
  try {
    flags = readDemoFlags(process.argv.slice(2), env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  try {
    const plan = loadDemoPlan(env.DEMO_PLAN ?? path.join(DEFAULT_STANDALONE_DIR, 'demo.json'));
    const options = {
      driverUrl,
      vnfmType: env.VNFM_TYPE ?? 'ciscovnfmdriver',
      plan,
      out: process.stdout,
      jobTimeoutMs: jobTimeoutS * 1000,
      signal: abort.signal,
      notifyJson: flags.notifyJson,
    };
    if (flags.plan === 'closed-loop') {
      const loop = await runClosedLoopDemo(options);
      const faults = (f: typeof loop.esc.faults): string => f.map((x) => x.severity).join(' → ');
      process.stdout.write(
        `\nclosed-loop demo complete: healing owner esc, VM ${loop.esc.vm}: ${faults(loop.esc.faults)}; ` +
          `healing owner onap, VM ${loop.onap.vm}: ${faults(loop.onap.faults)} (heal job ${loop.onap.healJobId})\n`,
      );
      return 0;
    }
    const result = await runDemoWalk(options);
    process.stdout.write(
      `\ndemo complete: VNF ${result.vnfInstanceId}, ${result.jobs.length} jobs finished, ${result.notifications.length} Notify messages\n`,
    );
    return 0;
  } catch (err) {
    const message = err instanceof DemoError ? err.message : `unexpected failure: ${(err as Error).stack ?? String(err)}`;
    process.stderr.write(`\ndemo failed: ${message}\n`);
    if (err instanceof DemoError && err.step === 'connect') process.stderr.write('start the driver first: npm ci && npm start\n');
    return 1;
  }
}

void main().then((code) => process.exit(code));
