import type { Log } from '../logging/log';
import { runTraced, type TraceContext } from './trace-context';

/**
 * A Log whose lines are written as part of `trace`, wherever they are logged from. A job's log is handed to code
 * that also runs outside the job's own async chain (escEvent callbacks, shared connection timers), whose lines
 * would otherwise lack the fields the job's trace has gathered (the ESC host among them).
 */
export function tracedLog(log: Log, trace: TraceContext): Log {
  return {
    debug: (message, meta) => runTraced(trace, () => log.debug(message, meta)),
    info: (message, meta) => runTraced(trace, () => log.info(message, meta)),
    warn: (message, meta) => runTraced(trace, () => log.warn(message, meta)),
    error: (message, meta) => runTraced(trace, () => log.error(message, meta)),
    child: (meta) => tracedLog(log.child(meta), trace),
  };
}
