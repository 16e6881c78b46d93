import type { Writable } from 'node:stream';
import winston from 'winston';
import type { Log } from './log';

/** Options of the service logger. */
export interface LoggerOptions {
  level: 'error' | 'warn' | 'info' | 'debug';
  /** Where JSON lines go; stdout when absent (tests pass a stream to read them back). */
  stream?: Writable;
  /** Fields on every line (e.g. service name). */
  defaultMeta?: Record<string, unknown>;
}

const SECRET_KEYS = /pass(word)?|secret|token|private_?key|authorization/i;

/** Replaces the value of any key that looks like a secret, at any depth. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.test(k) ? '***' : redactSecrets(v, depth + 1);
  }
  return out;
}

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.test(key)) info[key] = '***';
    else if (key !== 'message' && key !== 'level') info[key] = redactSecrets(info[key]);
  }
  return info;
});

/** Creates the service logger: one JSON object per line, with timestamp, level and message. */
export function createLogger(options: LoggerOptions): winston.Logger & Log {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level,
    defaultMeta: options.defaultMeta ?? {},
    format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
    transports: [transport],
  });
}
