import { EOL } from 'node:os';
import type { Writable } from 'node:stream';
import winston from 'winston';
import { currentTrace } from '../tracing/trace-context';
import { LOG_LEVELS, type Log, type LogLevel } from './log';
import { isSecretKey, redactSecrets } from './redact';
import { SecretRegistry } from './secret-registry';

/** Shape of log lines: one JSON object per line, or readable text for a terminal. */
export type LogFormat = 'json' | 'text';

/** Options of the service logger. */
export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout when absent (tests pass a stream to read them back). */
  stream?: Writable;
  /** Default: JSON, or text when the lines go to stdout and stdout is a terminal (see {@link defaultLogFormat}). */
  format?: LogFormat;
  /** Fields on every line (e.g. service name). */
  defaultMeta?: Record<string, unknown>;
  /** Secrets masked by value in every line (the service's registry); URL user-info is removed in any case. */
  secrets?: SecretRegistry;
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
// eslint-disable-next-line no-control-regex -- the class lists the control characters JSON.stringify escapes
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
 * One pass over each record: secrets redacted (by key, then the whole line by value and URL user-info), `timestamp`
 * added (ISO-8601) unless present, then one JSON line with sorted keys. The same lines as
 * `combine(redact, timestamp(), json())`, with the common flat record serialised directly instead of through a
 * serialiser configured anew for every line.
 */
function jsonLine(secrets: SecretRegistry): winston.Logform.Format {
  return winston.format((info) => {
    const record = redactedRecord(info);
    const line = flatJsonLine(record);
    const out = info as unknown as Record<symbol, string>;
    if (line === undefined) generalJson.transform(info, generalJson.options);
    else out[MESSAGE] = line;
    out[MESSAGE] = secrets.redact(out[MESSAGE]);
    return info;
  })();
}

/** Redacts secrets in place and adds `timestamp` (ISO-8601) unless present. */
function redactedRecord(info: unknown): Record<string, unknown> {
  const record = info as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (keyInfo(key).secret) record[key] = '***';
    else if (key !== 'message' && key !== 'level') {
      const value = record[key];
      if (value !== null && typeof value === 'object') record[key] = redactSecrets(value);
    }
  }
  if (!record.timestamp) record.timestamp = isoNow();
  return record;
}

/** A value in a text line: plain when it has no blank, quote or equals sign, else as JSON. */
function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? String(value);
}

/** `time level message key=value …`: what a person reads on a terminal. Secrets redacted as in JSON lines. */
function textLine(secrets: SecretRegistry): winston.Logform.Format {
  return winston.format((info) => {
    const record = redactedRecord(info);
    let line = `${String(record.timestamp)} ${String(record.level).padEnd(5)} ${String(record.message)}`;
    for (const key of Object.keys(record)) {
      if (key === 'timestamp' || key === 'level' || key === 'message' || record[key] === undefined) continue;
      line += ` ${key}=${textValue(record[key])}`;
    }
    (info as unknown as Record<symbol, unknown>)[MESSAGE] = secrets.redact(line);
    return info;
  })();
}

/** Text on a terminal, JSON everywhere else (containers, files, pipes): what LOG_FORMAT means when unset. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return stdout.isTTY ? 'text' : 'json';
}

/** `meta` with the fields of the work in progress (job id, VNF id, vnfm id, ESC host, request id) it does not set itself. */
function withTraceFields(meta: unknown): unknown {
  const trace = currentTrace();
  if (trace === undefined || (meta !== undefined && (meta === null || typeof meta !== 'object'))) return meta;
  return { requestId: trace.requestId, ...trace.fields, ...(meta as Record<string, unknown> | undefined) };
}

/**
 * winston formats and pipes every record through its streams before a transport drops the ones below its
 * level. Checks the level first, so that e.g. debug lines cost nothing at LOG_LEVEL=info; the level may still
 * be changed at run time. Adds the fields of the work in progress (src/tracing/trace-context.ts) while still in
 * the caller's turn. Child loggers inherit both.
 */
function skipDisabledLevels(logger: winston.Logger): void {
  const methods = logger as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const level of LOG_LEVELS) {
    const write = methods[level];
    methods[level] = function (this: winston.Logger, ...args: unknown[]): unknown {
      const self = this ?? logger;
      if (!self.isLevelEnabled(level)) return self;
      if (args.length <= 2 && typeof args[0] === 'string') return write.call(self, args[0], withTraceFields(args[1]));
      return write.apply(self, args);
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

/**
 * Creates the service logger: one line per record, with timestamp, level and message, as JSON or text, to
 * `stream` or stdout; every line masked through `secrets`.
 */
export function createLogger(options: LoggerOptions): winston.Logger & Log {
  const transport = new LineTransport(options.stream ?? process.stdout);
  const format = options.format ?? (options.stream ? 'json' : defaultLogFormat());
  const secrets = options.secrets ?? new SecretRegistry();
  const logger = winston.createLogger({
    level: options.level,
    defaultMeta: options.defaultMeta ?? {},
    format: format === 'text' ? textLine(secrets) : jsonLine(secrets),
    transports: [transport],
  });
  skipDisabledLevels(logger);
  return logger;
}
