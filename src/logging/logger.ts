import { EOL } from 'node:os';
import type { Writable } from 'node:stream';
import winston from 'winston';
import { LOG_LEVELS, type Log, type LogLevel } from './log';
import { isSecretKey, redactSecrets } from './redact';

/** Options of the service logger. */
export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; stdout when absent (tests pass a stream to read them back). */
  stream?: Writable;
  /** Fields on every line (e.g. service name). */
  defaultMeta?: Record<string, unknown>;
}

const MESSAGE = Symbol.for('message');

/** The general JSON serialiser: sorted keys, circular references and bigint handled (logform's `json`). */
const generalJson = winston.format.json();

/** Per key name: its JSON text and whether its value is a secret. Log records use a small set of key names. */
interface KeyInfo {
  quoted: string;
  secret: boolean;
}
const keyInfos = new Map<string, KeyInfo>();
const MAX_KEY_INFOS = 1000;

function keyInfo(key: string): KeyInfo {
  let info = keyInfos.get(key);
  if (info === undefined) {
    info = { quoted: JSON.stringify(key), secret: isSecretKey(key) };
    if (keyInfos.size < MAX_KEY_INFOS) keyInfos.set(key, info);
  }
  return info;
}

/** Characters JSON.stringify escapes in a string (quote, backslash, controls, surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Serialises a record whose values are all strings, numbers, booleans, null or undefined (what nearly every
 * line is, e.g. the request line) exactly as the general serialiser does: own keys in sorted order, undefined
 * values left out, non-finite numbers as null. Returns undefined for any other record.
 */
export function flatJsonLine(info: Record<string, unknown>): string | undefined {
  const keys = Object.keys(info).sort();
  let out = '';
  for (const key of keys) {
    const value = info[key];
    let text: string;
    switch (typeof value) {
      case 'string':
        text = NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
        break;
      case 'number':
        text = Number.isFinite(value) ? String(value) : 'null';
        break;
      case 'boolean':
        text = value ? 'true' : 'false';
        break;
      case 'undefined':
        continue;
      default:
        if (value !== null) return undefined;
        text = 'null';
    }
    out += out === '' ? `{${keyInfo(key).quoted}:${text}` : `,${keyInfo(key).quoted}:${text}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

let isoMs = -1;
let isoText = '';

/** `new Date().toISOString()`, computed once per millisecond. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}

/**
 * One pass over each record: secrets redacted, `timestamp` added (ISO-8601) unless present, then one JSON line
 * with sorted keys. The same lines as `combine(redact, timestamp(), json())`, with the common flat record
 * serialised directly instead of through a serialiser configured anew for every line.
 */
const jsonLine = winston.format((info) => {
  const record = info as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (keyInfo(key).secret) record[key] = '***';
    else if (key !== 'message' && key !== 'level') {
      const value = record[key];
      if (value !== null && typeof value === 'object') record[key] = redactSecrets(value);
    }
  }
  if (!record.timestamp) record.timestamp = isoNow();
  const line = flatJsonLine(record);
  if (line === undefined) return generalJson.transform(info, generalJson.options);
  (info as unknown as Record<symbol, unknown>)[MESSAGE] = line;
  return info;
});

/**
 * winston formats and pipes every record through its streams before a transport drops the ones below its
 * level. Checks the level first, so that e.g. debug lines cost nothing at LOG_LEVEL=info; the level may still
 * be changed at run time. Child loggers inherit the checks.
 */
function skipDisabledLevels(logger: winston.Logger): void {
  const methods = logger as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const level of LOG_LEVELS) {
    const write = methods[level]!;
    methods[level] = function (this: winston.Logger, ...args: unknown[]): unknown {
      const self = this ?? logger;
      return self.isLevelEnabled(level) ? write.apply(self, args) : self;
    };
  }
}

// winston's base class of transports (the winston-transport package), as winston itself exports it.
const TransportStream = (winston as unknown as { Transport: new () => winston.transport }).Transport;

/**
 * Writes each formatted line to a stream, as winston's Stream and Console transports do, without their
 * per-line `logged` event (a timer and a closure holding the record until it fires; nothing listens to it).
 */
export class LineTransport extends TransportStream {
  constructor(private readonly out: Writable) {
    super();
  }

  override log(info: unknown, next: () => void): void {
    this.out.write(`${(info as Record<symbol, string>)[MESSAGE]}${EOL}`);
    next();
  }
}

/** Creates the service logger: one JSON object per line, with timestamp, level and message, to `stream` or stdout. */
export function createLogger(options: LoggerOptions): winston.Logger & Log {
  const transport = new LineTransport(options.stream ?? process.stdout);
  const logger = winston.createLogger({
    level: options.level,
    defaultMeta: options.defaultMeta ?? {},
    format: jsonLine(),
    transports: [transport],
  });
  skipDisabledLevels(logger);
  return logger;
}
