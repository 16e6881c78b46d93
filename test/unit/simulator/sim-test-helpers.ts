import { SimRpcError } from '../../../src/simulator/sim-rpc-error';

export const ESC_NS = 'http://www.cisco.com/esc/esc';
export const NC_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/** The SimRpcError `fn` throws; fails the test when it throws nothing or something else. */
export function rpcErrorOf(fn: () => unknown): SimRpcError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimRpcError) return err;
    throw err;
  }
  throw new Error('expected a SimRpcError, nothing was thrown');
}
