import { Router } from 'express';

/** Path of the route below `/api/{vnfmtype}/v1`. */
export const KILL_VM_PATH = '/standalone/esc-simulator/kill-vm';

/** The simulated ESC as the route drives it (the running simulator fits). */
export interface VmKiller {
  /** The VM (name or id) goes down; throws when no deployment holds it. */
  killVm(vm: string, outcome?: 'success' | 'failure'): void;
}

/**
 * Standalone mode's stand-in for a VM dying in the VIM: `POST /api/{vnfmtype}/v1/standalone/esc-simulator/kill-vm`
 * `{vm, fail?}` → 202 once the simulated ESC saw the VM go down (it then recovers it, or not, as the deployment's
 * VM_ALIVE rule says; `fail: true` makes the recovery fail); 400 naming the field; 404 when no deployment holds the VM.
 */
export function escSimulatorRouter(sim: VmKiller): Router {
  const r = Router({ mergeParams: true });
  r.post(KILL_VM_PATH, (req, res) => {
    const body = (req.body ?? {}) as { vm?: unknown; fail?: unknown };
    const problem =
      typeof body.vm !== 'string' || body.vm.trim() === '' || body.vm.length > 255
        ? { field: 'vm', reason: 'must be a VM name or id of 1 to 255 characters' }
        : body.fail !== undefined && typeof body.fail !== 'boolean'
          ? { field: 'fail', reason: 'must be true or false' }
          : undefined;
    if (problem) {
      res.status(400).json({ error: `${problem.field} ${problem.reason}`, details: [problem] });
      return;
    }
    const vm = (body.vm as string).trim();
    try {
      sim.killVm(vm, body.fail === true ? 'failure' : 'success');
    } catch (err) {
      res.status(404).json({ error: (err as Error).message, details: [{ field: 'vm', reason: 'no deployment holds this VM' }] });
      return;
    }
    res.status(202).json({ vm, killed: true });
  });
  return r;
}
