import { escapeXmlText, type XmlElement } from '../xml';
import type { FaultBook } from './fault-book';
import { SimRpcError } from './sim-rpc-error';

/**
 * Runtime fault control over NETCONF (simulator only, namespace {@link SIM_ADMIN_NS}):
 * `<set-faults>` / `<add-fault>` carry JSON (one rule or an array) as text, `<clear-faults/>`
 * removes all, `<get-faults/>` returns `<faults>JSON</faults>`.
 */
export function handleAdminRpc(op: XmlElement, faults: FaultBook): string {
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
    case 'get-faults':
      return `<faults xmlns="urn:x-esc-simulator:admin:1.0">${escapeXmlText(JSON.stringify(faults.list()))}</faults>`;
    default:
      throw new SimRpcError('operation-not-supported', `unknown admin RPC ${op.name}`, { type: 'protocol', badElement: op.name });
  }
}
