import type { OperationContext, Southbound } from '../../src/lifecycle/southbound';
import type { VnfInfo, VnfRecord } from '../../src/vnfs/vnf-record';

/** One scripted step: progress and description, or a failure with its message. */
export type ScriptStep = { progress: number; description: string } | { fail: string };

/** Runs a script step by step, `stepMs` apart, stopping early when aborted. */
export async function playScript(ctx: OperationContext<unknown>, steps: readonly ScriptStep[], stepMs: number): Promise<void> {
  for (const step of steps) {
    await abortableDelay(stepMs, ctx.signal);
    if ('fail' in step) throw Object.assign(new Error(step.fail), { code: 'SCRIPTED_FAILURE' });
    await ctx.job.progress(step.progress, step.description);
  }
}

/** The signal's abort reason, an Error (abort() without a reason gives a DOMException, which is one). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Resolves after `ms`, or rejects with the abort reason. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      },
      { once: true },
    );
  });
}

/** Resolves only when the job is aborted (shutdown or deadline). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });
}

/** A southbound whose every operation plays the given script; query answers from the record. */
export function scriptedSouthbound(steps: readonly ScriptStep[], stepMs = 5, overrides: Partial<Southbound> = {}): Southbound {
  const run = (ctx: OperationContext<unknown>): Promise<void> => playScript(ctx, steps, stepMs);
  return {
    instantiate: run,
    terminate: run,
    scale: run,
    heal: run,
    operate: run,
    query: async (vnf: VnfRecord): Promise<VnfInfo> => ({
      vnfInstanceId: vnf.vnfInstanceId,
      vnfInstanceName: vnf.vnfInstanceName,
      vnfInstanceDescription: '',
      vnfdId: vnf.vnfdId,
      vnfPackageId: vnf.vnfPackageId,
      version: '1.0',
      vnfProvider: 'Cisco',
      vnfType: 'vFW',
      vnfStatus: vnf.status === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
    }),
    ...overrides,
  };
}
