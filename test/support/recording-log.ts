import type { Log } from '../../src/logging/log';

/** One line a {@link recordingLog} received. */
export interface Logged {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}

/** A Log that appends every line to `lines` (children write to the same list, without their bound fields). */
export function recordingLog(lines: Logged[]): Log {
  const log: Log = {
    debug: (message, meta) => lines.push({ level: 'debug', message, meta }),
    info: (message, meta) => lines.push({ level: 'info', message, meta }),
    warn: (message, meta) => lines.push({ level: 'warn', message, meta }),
    error: (message, meta) => lines.push({ level: 'error', message, meta }),
    child: () => log,
  };
  return log;
}
