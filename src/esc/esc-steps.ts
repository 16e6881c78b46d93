import type { XmlElement, XmlNode } from '../xml';
import { opdataFilter } from './mapping/edit-builders';
import type { EscEventView } from './esc-event-view';
import { readDeploymentView, type DeploymentView } from './deployment-view';
import type { WaitVerdict } from './event-waiter';

/** The ESC service states that end a deploy/update/start (opdata state_machine/state). */
export const SERVICE_ACTIVE = 'SERVICE_ACTIVE_STATE';
export const SERVICE_ERROR = 'SERVICE_ERROR_STATE';
export const SERVICE_STOPPED = 'SERVICE_STOPPED_STATE';
export const VM_ALIVE_STATE = 'VM_ALIVE_STATE';

/** Where opdata is read from (an ESC channel). */
export interface EscOpdataSource {
  get(filter: XmlNode): Promise<XmlElement>;
}

/** Reads one deployment's opdata; undefined when ESC does not know it. */
export async function readDeployment(channel: EscOpdataSource, tenant: string, depname: string): Promise<DeploymentView | undefined> {
  const data = await channel.get(opdataFilter(tenant, depname));
  return readDeploymentView(data, tenant, depname);
}

/** A verdict for the final event of a workflow: SUCCESS → done, FAILURE → failed with ESC's message. */
export function finalVerdict(event: EscEventView): WaitVerdict {
  return event.status === 'SUCCESS' ? { kind: 'done' } : { kind: 'failed', eventType: event.type, message: event.statusMessage };
}

/** What an escEvent is about, for a progress line: its VM, else the subnet or network it names. */
export function eventSubject(e: EscEventView): string {
  return `${e.type} ${e.vmSource?.vmname ?? e.vmSource?.vmid ?? e.subnet ?? e.network ?? ''}`.trim();
}

/**
 * Classifier for a deploy: CREATE_NETWORK / CREATE_SUBNET of the deployment networks and VM_DEPLOYED / VM_ALIVE
 * are reported (only VM events move progress); SERVICE_ALIVE, the workflow's final event, ends it with its status.
 * Any other FAILURE is a step ESC itself follows up: a failed dependent workflow aborts the deploy with
 * SERVICE_ALIVE FAILURE (guide "Deploy Service", On Failure), and a VM_RECOVERY_REBOOT FAILURE is followed by a
 * redeploy (guide "VM Recovery" event notifications) — it is reported as progress, not as the end.
 */
export function deployClassifier(
  expectedVms: number,
  progress: (done: number, total: number, event: EscEventView) => void,
): (e: EscEventView) => WaitVerdict | undefined {
  let steps = 0;
  let earlier: EscEventView | undefined;
  return (e) => {
    if (e.type === 'SERVICE_ALIVE') {
      const verdict = finalVerdict(e);
      if (verdict.kind !== 'failed' || !earlier) return verdict;
      return { ...verdict, message: `${verdict.message} (after ${earlier.type} FAILURE: ${earlier.statusMessage})` };
    }
    if (e.status === 'FAILURE') {
      earlier = e;
      progress(steps, expectedVms * 2, e);
      return intermediateFailure(e);
    }
    if (e.type === 'CREATE_NETWORK' || e.type === 'CREATE_SUBNET') {
      progress(steps, expectedVms * 2, e);
      return { kind: 'progress', description: eventSubject(e) };
    }
    if (e.type === 'VM_DEPLOYED' || e.type === 'VM_ALIVE') {
      steps++;
      progress(steps, expectedVms * 2, e);
      return { kind: 'progress', description: eventSubject(e) };
    }
    return undefined;
  };
}

/** A FAILURE that does not end ESC's workflow: progress that names it, for the job's history. */
export function intermediateFailure(e: EscEventView): WaitVerdict {
  const vm = e.vmSource?.vmname ?? e.vmSource?.vmid;
  return { kind: 'progress', description: `${e.type} FAILURE${vm ? ` ${vm}` : ''}, ESC goes on: ${e.statusMessage}`.trim() };
}

/**
 * opdata check for "deployment active": active → done, error → failed, not there (any more) → gone, otherwise
 * keep waiting. Only run once the deploy was accepted, so a missing deployment was removed by someone else.
 */
export function activeReconciler(channel: EscOpdataSource, tenant: string, depname: string): () => Promise<WaitVerdict | undefined> {
  return async () => {
    const dep = await readDeployment(channel, tenant, depname);
    if (!dep) return { kind: 'gone' };
    if (dep.state === SERVICE_ACTIVE) return { kind: 'done' };
    if (dep.state === SERVICE_ERROR)
      return { kind: 'failed', eventType: 'SERVICE_ALIVE', message: `deployment ${depname} is in ${SERVICE_ERROR}` };
    return undefined;
  };
}

/** opdata check for "deployment gone" (undeploy finished). */
export function goneReconciler(channel: EscOpdataSource, tenant: string, depname: string): () => Promise<WaitVerdict | undefined> {
  return async () => ((await readDeployment(channel, tenant, depname)) ? undefined : { kind: 'done' });
}

/** Percentage between `from` and `to` for `done` of `total` steps, as an integer 1..99. */
export function progressBetween(from: number, to: number, done: number, total: number): number {
  const ratio = total > 0 ? Math.min(done / total, 1) : 1;
  return Math.max(1, Math.min(99, Math.round(from + (to - from) * ratio)));
}
