import { childOf, type XmlElement } from '../xml';
import type { EscState } from './esc-state';
import { SimRpcError } from './sim-rpc-error';
import { ACTION_TYPES, type ActionType, type Workflow } from './workflow-types';

function text(el: XmlElement, name: string): string {
  return childOf(el, name)?.text.trim() ?? '';
}

function actionTypeOf(el: XmlElement, allowed: readonly string[]): ActionType {
  const t = text(el, 'actionType');
  if (!allowed.includes(t)) {
    throw new SimRpcError('invalid-value', `"${t}" is not a valid value.`, {
      path: `/rpc/${el.name}/esc:actionType`,
      badElement: 'actionType',
    });
  }
  return (t === 'DO' ? 'RECOVER' : t) as ActionType;
}

/**
 * Validates a serviceAction, vmAction or recoveryVmAction element (guide, "Service Operations",
 * "VM Operations", "Recovery VM") and returns its workflow. Names are trimmed: the guide's own
 * examples carry a trailing space (`<depName>sampleDep </depName>`). A bad actionType is the guide's Stage 1
 * example (invalid-value, `"X" is not a valid value.`, ~lines 381-395). Documented assumption: the guide names
 * no error for an action on a deployment or VM ESC does not hold, nor on one with a workflow running;
 * data-missing and in-use are used.
 */
export function parseActionRequest(el: XmlElement, state: EscState): Workflow {
  if (el.name === 'serviceAction') {
    const action = actionTypeOf(el, ACTION_TYPES);
    const tenant = text(el, 'tenantName');
    const deployment = text(el, 'depName');
    const dep = state.deployment(tenant, deployment);
    if (!dep) {
      throw new SimRpcError('data-missing', `Deployment ${deployment} does not exist in tenant ${tenant}`, {
        path: '/rpc/serviceAction/esc:depName',
        badElement: 'depName',
      });
    }
    if (dep.busy) throw new SimRpcError('in-use', `Deployment ${deployment} has a workflow in progress`, { path: '/rpc/serviceAction' });
    return { kind: 'service-action', action, tenant, deployment };
  }
  const action = el.name === 'recoveryVmAction' ? actionTypeOf(el, ['DO']) : actionTypeOf(el, ACTION_TYPES);
  const vmName = text(el, 'vmName');
  const found = state.findVm(vmName);
  if (!found)
    throw new SimRpcError('data-missing', `VM ${vmName} does not exist`, { path: `/rpc/${el.name}/esc:vmName`, badElement: 'vmName' });
  if (found.dep.busy)
    throw new SimRpcError('in-use', `Deployment ${found.dep.name} has a workflow in progress`, { path: `/rpc/${el.name}` });
  // vmAction `force` (guide, "Stop VM" ~4058, "Reboot VM" ~4232: with force true "ESC will ignore the requirement
  // for min_vm") is accepted and not checked. Documented assumption: the guide does not say how ESC refuses or fails a
  // force=false STOP/REBOOT that would break min_active, and its own force=false examples (~4123, ~4319, ~4394) are
  // accepted and run, so the simulator runs every vmAction as if min_active held.
  return { kind: 'vm-action', action, vmName };
}
