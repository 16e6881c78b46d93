/** One thing wrong in a rules file: which rule (name, or `rules[i]` when it has none), which field, why. */
export interface RuleProblem {
  rule: string;
  field: string;
  reason: string;
}

/** Longest text a rule field takes. */
export const MAX_TEXT = 255;

/** Collects the problems of one rule. */
export class Checker {
  failed = false;
  constructor(
    private readonly rule: string,
    private readonly problems: RuleProblem[],
  ) {}

  fail(field: string, reason: string): undefined {
    this.failed = true;
    this.problems.push({ rule: this.rule, field, reason });
    return undefined;
  }

  text(obj: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return required ? this.fail(path, 'is required') : undefined;
    if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_TEXT)
      return this.fail(path, `must be a text of 1 to ${MAX_TEXT} characters`);
    return v.trim();
  }

  oneOf<T extends string>(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    allowed: readonly T[],
    required: boolean,
  ): T | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return required ? this.fail(path, `is required (one of ${allowed.join(', ')})`) : undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
      return this.fail(path, `must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  integer(obj: Record<string, unknown>, key: string, path: string, min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      return this.fail(path, `must be an integer from ${min} to ${max}`);
    return v;
  }

  textList(obj: Record<string, unknown>, key: string, path: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x.trim() === '' || x.length > MAX_TEXT)) {
      return this.fail(path, 'must be a text or a list of texts');
    }
    return (list as string[]).map((x) => x.trim());
  }

  record(v: unknown, path: string, required: boolean): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return required ? this.fail(path, 'is required') : undefined;
    if (!isRecord(v)) return this.fail(path, 'must be a mapping');
    return v;
  }

  onlyKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(obj))
      if (!allowed.includes(k)) this.fail(path ? `${path}.${k}` : k, `is not a known field (${allowed.join(', ')})`);
  }
}

/** A mapping (not null, not a list). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
