import { childOf, escapeXmlText, type XmlElement } from '../xml';
import type { EscEngine } from './esc-engine';
import type { FaultBook } from './fault-book';
import { SimRpcError } from './sim-rpc-error';

/** The ESC-initiated workflows an admin RPC can start. */
export type InitiatedControl = Pick<EscEngine, 'killVm' | 'elasticScale'>;

/**
 * Runtime fault control over NETCONF (simulator only, namespace {@link SIM_ADMIN_NS}):
 * `<set-faults>` / `<add-fault>` carry JSON (one rule or an array) as text, `<clear-faults/>`
 * removes all, `<get-faults/>` returns `<faults>JSON</faults>`. ESC-initiated workflows:
 * `<kill-vm><vm>name or id</vm><fail>true</fail>?</kill-vm>`, and `<scale-out>` / `<scale-in>` with
 * `<tenant>`, `<deployment>`, `<vm-group>` and optional `<fail>true</fail>`.
 */
export function handleAdminRpc(op: XmlElement, faults: FaultBook, control: InitiatedControl): string {
  const field = (name: string): string => {
    const v = childOf(op, name)?.text.trim();
    if (!v) throw new SimRpcError('missing-element', `${op.name} needs <${name}>`, { badElement: name });
    return v;
  };
  const outcome = (): 'success' | 'failure' => (childOf(op, 'fail')?.text.trim() === 'true' ? 'failure' : 'success');
  const json = (): unknown => {
    try {
      return JSON.parse(op.text.trim() || '[]');
    } catch (err) {
      throw new SimRpcError('invalid-value', `fault rules are not JSON: ${(err as Error).message}`, { badElement: op.name });
    }
  };
  const wrap = (fn: () => void): string => {
    try {
      fn();
    } catch (err) {
      if (err instanceof SimRpcError) throw err;
      throw new SimRpcError('invalid-value', (err as Error).message, { badElement: op.name });
    }
    return '<ok/>';
  };
  switch (op.name) {
    case 'set-faults':
      return wrap(() => faults.set([json()].flat() as never[]));
    case 'add-fault':
      return wrap(() => faults.add(json() as never));
    case 'clear-faults':
      return wrap(() => faults.clear());
    case 'kill-vm':
      return wrap(() => control.killVm(field('vm'), outcome()));
    case 'scale-out':
    case 'scale-in':
      return wrap(() =>
        control.elasticScale(op.name === 'scale-out' ? 'out' : 'in', field('tenant'), field('deployment'), field('vm-group'), outcome()),
      );
    case 'get-faults':
      return `<faults xmlns="urn:x-esc-simulator:admin:1.0">${escapeXmlText(JSON.stringify(faults.list()))}</faults>`;
    default:
      throw new SimRpcError('operation-not-supported', `unknown admin RPC ${op.name}`, { type: 'protocol', badElement: op.name });
  }
}
