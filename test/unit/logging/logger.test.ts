import { PassThrough } from 'node:stream';
import winston from 'winston';
import { createLogger, defaultLogFormat, flatJsonLine } from '../../../src/logging/logger';
import { isSecretKey, redactSecrets } from '../../../src/logging/redact';
import { annotateTrace, runTraced, runUntraced } from '../../../src/tracing/trace-context';

/** The reference line format: redaction, then logform's timestamp and json formats. */
const referenceRedact = winston.format((info) => {
  const record = info as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (isSecretKey(key)) record[key] = '***';
    else if (key !== 'message' && key !== 'level') record[key] = redactSecrets(record[key]);
  }
  return info;
});

function capture(): { stream: PassThrough; lines: string[] } {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { stream, lines };
}

const withoutTime = (line: string): string => line.replace(/"timestamp":"\d{4}-\d\d-\d\dT[^"]+"/, '"timestamp":"T"');
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('createLogger', () => {
  const records: Array<[string, Record<string, unknown>]> = [
    ['request', { requestId: 'r-1', method: 'GET', path: '/api/x/v1/m/jobs/1', status: 200, ms: 0.4 }],
    ['strings', { a: '', b: 'quote " backslash \\ \n\t\r\b\f\v \u0000\u001f é 😀 \u2028', lone: '\ud800x', long: 'x'.repeat(6000) }],
    [
      'numbers',
      { zero: 0, negZero: -0, frac: 1.25, big: 1e21, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY },
    ],
    ['others', { yes: true, no: false, nothing: null, absent: undefined, count: 10n }],
    ['nested', { config: { password: 'p', host: 'h', deep: { token: 't' } }, list: [1, { secret: 's' }], when: new Date(0) }],
    ['secrets', { password: 'p', Authorization: 'Basic x', private_key: 'k', apiToken: 't', safe: 'ok' }],
    ['keys', { zeta: 1, Alpha: 2, _b: 3, ä: 4, 10: 5, 9: 6, timestamp: 'given' }],
    ['message in meta', { message: 'more' }],
    ['empty', {}],
  ];

  it('when records of every kind are logged, then each line is the one redact + timestamp + json would write', async () => {
    const ours = capture();
    const reference = capture();
    const log = createLogger({ level: 'debug', stream: ours.stream, defaultMeta: { service: 's' } });
    const ref = winston.createLogger({
      level: 'debug',
      defaultMeta: { service: 's' },
      format: winston.format.combine(referenceRedact(), winston.format.timestamp(), winston.format.json()),
      transports: [new winston.transports.Stream({ stream: reference.stream })],
    });
    for (const [message, meta] of records) {
      log.info(message, { ...meta });
      ref.info(message, { ...meta });
      log.child({ requestId: 'c' }).warn(message, { ...meta });
      ref.child({ requestId: 'c' }).warn(message, { ...meta });
    }
    await settle();

    expect(ours.lines).toHaveLength(records.length * 2);
    expect(ours.lines.map(withoutTime)).toEqual(reference.lines.map(withoutTime));
  });

  it('when a level is below the configured one, then nothing is formatted or written, and raising the level takes effect', async () => {
    const out = capture();
    const log = createLogger({ level: 'info', stream: out.stream });
    const meta = {
      get probe(): string {
        throw new Error('formatted although filtered');
      },
    };
    log.debug('hidden', meta);
    log.child({ requestId: 'r' }).debug('hidden too', meta);
    log.level = 'debug';
    log.debug('shown', { n: 1 });
    await settle();

    expect(out.lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['shown']);
  });

  it('when a child logger logs, then its fields are on the line and a field given to the call wins', async () => {
    const out = capture();
    const log = createLogger({ level: 'info', stream: out.stream, defaultMeta: { service: 's' } });
    log.child({ requestId: 'r-1', component: 'c' }).info('hello', { component: 'override' });
    await settle();

    expect(JSON.parse(out.lines[0])).toMatchObject({
      requestId: 'r-1',
      component: 'override',
      service: 's',
      level: 'info',
      message: 'hello',
    });
  });
});

describe('createLogger in a trace', () => {
  it("when a line is logged during traced work, then it carries the trace's request id and fields, later annotations included, and its own fields win", async () => {
    const out = capture();
    const log = createLogger({ level: 'info', stream: out.stream });
    await runTraced({ requestId: 'req-1', fields: { jobId: 'job-1', vnfmId: 'm' } }, async () => {
      log.info('before');
      await settle();
      annotateTrace({ escHost: 'esc:830' });
      log.child({ component: 'c' }).warn('after', { vnfmId: 'explicit' });
      runUntraced(() => log.info('outside'));
    });
    log.info('no trace');
    await settle();

    const lines = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ message: 'before', requestId: 'req-1', jobId: 'job-1', vnfmId: 'm' });
    expect(lines[0].escHost).toBeUndefined();
    expect(lines[1]).toMatchObject({
      message: 'after',
      requestId: 'req-1',
      jobId: 'job-1',
      vnfmId: 'explicit',
      escHost: 'esc:830',
      component: 'c',
    });
    for (const line of lines.slice(2)) expect(line.jobId).toBeUndefined();
  });
});

describe('createLogger with the text format', () => {
  it('when a record is logged, then the line is time, level, message and key=value pairs, secrets redacted', async () => {
    const out = capture();
    const log = createLogger({ level: 'info', stream: out.stream, format: 'text', defaultMeta: { service: 's' } });
    log.warn('NSLCM call failed, retrying', {
      jobId: 'j-1',
      attempt: 2,
      error: 'timed out after 10 ms',
      password: 'pw',
      nested: { token: 't', a: 1 },
    });
    await settle();

    expect(out.lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn {2}NSLCM call failed, retrying service=s jobId=j-1 attempt=2 error="timed out after 10 ms" password=\*\*\* nested=\{"token":"\*\*\*","a":1\}$/,
    );
  });

  it('when LOG_FORMAT is not set, then a terminal gets text and anything else JSON', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('text');
    expect(defaultLogFormat({ isTTY: false })).toBe('json');
    expect(defaultLogFormat({})).toBe('json');
  });
});

describe('flatJsonLine', () => {
  it('when a value is an object, then it declines (the general serialiser handles it)', () => {
    expect(flatJsonLine({ a: { b: 1 } })).toBeUndefined();
    expect(flatJsonLine({ a: [1] })).toBeUndefined();
    expect(flatJsonLine({ a: 1n })).toBeUndefined();
  });

  it('when all values are primitives, then keys come sorted and undefined ones are left out', () => {
    expect(flatJsonLine({ b: 1, a: 'x', c: undefined, d: null })).toBe('{"a":"x","b":1,"d":null}');
    expect(flatJsonLine({})).toBe('{}');
  });
});
