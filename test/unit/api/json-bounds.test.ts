import { checkJsonBounds } from '../../../src/api/json-bounds';
import { HttpError } from '../../../src/api/http-errors';

const LIMITS = { maxDepth: 4, maxArrayLength: 3 };

function refusal(value: unknown, root = ''): { status: number; field: string; message: string } | undefined {
  try {
    checkJsonBounds(value, LIMITS, root);
    return undefined;
  } catch (err) {
    const e = err as HttpError;
    return { status: e.status, field: e.details[0].field, message: e.message };
  }
}

describe('checkJsonBounds', () => {
  it('when a value is within the limits, then it passes', () => {
    expect(refusal({ a: { b: [1, 2, { c: 'x' }] } })).toBeUndefined();
    expect(refusal('text')).toBeUndefined();
  });

  it('when a value nests one level deeper than the limit, then 400 names the field and JSON_MAX_DEPTH', () => {
    expect(refusal({ a: { b: { c: { d: {} } } } })).toEqual({
      status: 400,
      field: 'a.b.c.d',
      message: expect.stringContaining('JSON_MAX_DEPTH (4)') as unknown,
    });
  });

  it('when an array is longer than the limit, then 413 names the field and JSON_MAX_ARRAY_LENGTH', () => {
    expect(refusal({ list: [1, 2, 3, 4] }, 'additionalParam.inputs')).toEqual({
      status: 413,
      field: 'additionalParam.inputs.list',
      message: expect.stringContaining('JSON_MAX_ARRAY_LENGTH (3)') as unknown,
    });
  });

  it('when a value is nested 1,000,000 levels deep, then it is refused without exhausting the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(refusal(deep)?.status).toBe(400);
    expect(() => checkJsonBounds(deep, { maxDepth: 2_000_000, maxArrayLength: 10 }, '')).not.toThrow();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('when a key is %s, then 400 names it', (key) => {
    expect(refusal(JSON.parse(`{"a":{"${key}":{}}}`))).toEqual({ status: 400, field: `a.${key}`, message: `invalid request: a.${key}` });
  });

  it('when a number is beyond double range (1e309), then 400 names the field', () => {
    expect(refusal(JSON.parse('{"n":[1e309]}'))).toEqual({ status: 400, field: 'n.0', message: 'invalid request: n.0' });
    expect(refusal(JSON.parse('-1e309'))?.field).toBe('body');
  });
});
