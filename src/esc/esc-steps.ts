import { writeXml, type XmlElement } from '../xml';
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
  get(filter: string): Promise<XmlElement>;
}

/** Reads one deployment's opdata; undefined when ESC does not know it. */
export async function readDeployment(channel: EscOpdataSource, tenant: string, depname: string): Promise<DeploymentView | undefined> {
  const data = await channel.get(writeXml(opdataFilter(tenant, depname)));
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
 * are reported (only VM events move progress), any FAILURE ends it (the guide: "a failure in any workflow results
 * in a Deploy Service activation failure"), SERVICE_ALIVE ends it.
 */
export function deployClassifier(
  expectedVms: number,
  progress: (done: number, total: number, event: EscEventView) => void,
): (e: EscEventView) => WaitVerdict | undefined {
  let steps = 0;
  return (e) => {
    if (e.status === 'FAILURE') return { kind: 'failed', eventType: e.type, message: e.statusMessage };
    if (e.type === 'SERVICE_ALIVE') return { kind: 'done' };
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

/** opdata check for "deployment active": active → done, error → failed, missing → gone, otherwise keep waiting. */
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
