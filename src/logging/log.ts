/**
 * The logging surface every module depends on. A winston Logger satisfies it; modules take a `Log`
 * by injection so that `netconf/`, `esc/` and `simulator/` do not depend on the logger's set-up.
 */
export interface Log {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
  child(meta: Record<string, unknown>): Log;
}

/** The log levels, most severe first (what LOG_LEVEL takes). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A Log that discards everything (tests, benchmarks). */
export const silentLog: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLog,
};
