import { HttpError } from './http-errors';

/** How deep and how long a JSON request body may be (JSON_MAX_DEPTH, JSON_MAX_ARRAY_LENGTH). */
export interface JsonLimits {
  maxDepth: number;
  maxArrayLength: number;
}

/**
 * Keys that reach an object's prototype or class when copied by assignment (and that the DTO transformation
 * cannot take: a `constructor` key makes it fail); refused wherever they appear.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a parsed JSON value against `limits` before anything transforms it, without recursion (a body
 * nested thousands of levels deep must not exhaust the stack here either). Throws 400 for too deep a value,
 * a `__proto__`, `constructor` or `prototype` key, or a number beyond double range (`1e309`, which JSON.parse reads as Infinity), 413 for too long an array, each naming the limit and the field (`root` is the
 * dotted path of `value` itself, e.g. `additionalParam.inputs`; empty for the whole body).
 */
export function checkJsonBounds(value: unknown, limits: JsonLimits, root: string): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      const field = item.path || 'body';
      throw new HttpError(400, `invalid request: ${field}`, [{ field, reason: 'number is too large to be represented (not finite)' }]);
    }
    if (v === null || typeof v !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > limits.maxDepth) {
      throw new HttpError(400, `request body is nested deeper than JSON_MAX_DEPTH (${limits.maxDepth})`, [
        { field: item.path || 'body', reason: `nested deeper than the limit of ${limits.maxDepth} levels (JSON_MAX_DEPTH)` },
      ]);
    }
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayLength) {
        throw new HttpError(413, `request body has an array longer than JSON_MAX_ARRAY_LENGTH (${limits.maxArrayLength})`, [
          {
            field: item.path || 'body',
            reason: `array of ${v.length} items is longer than the limit of ${limits.maxArrayLength} (JSON_MAX_ARRAY_LENGTH)`,
          },
        ]);
      }
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], depth, path: join(item.path, String(i)) });
      continue;
    }
    for (const key of Object.keys(v)) {
      const path = join(item.path, key);
      if (FORBIDDEN_KEYS.has(key))
        throw new HttpError(400, `invalid request: ${path}`, [{ field: path, reason: `the key ${key} is not accepted` }]);
      stack.push({ value: (v as Record<string, unknown>)[key], depth, path });
    }
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
