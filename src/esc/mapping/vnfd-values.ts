/** Small readers for loosely typed VNFD JSON: nothing here throws on a missing or odd value. */

export type Json = Record<string, unknown>;

export function asRecord(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asRecords(v: unknown): Json[] {
  return asArray(v)
    .map(asRecord)
    .filter((r): r is Json => r !== undefined);
}

/** A non-empty trimmed string, or undefined. Numbers are accepted and stringified. */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** A finite number from a number or numeric string, or undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = asString(v);
  if (s === undefined || !/^[-+]?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** A non-negative integer from a number or numeric string, or undefined. */
export function asCount(v: unknown): number | undefined {
  const n = asNumber(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** First defined value among the candidates. */
export function firstOf<T>(...values: (T | undefined)[]): T | undefined {
  return values.find((v) => v !== undefined);
}

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
  tb: 1e12,
  tib: 1024 ** 4,
};

/**
 * Bytes of a TOSCA `scalar-unit.size` ("10 GB", "512 MiB"; units as TOSCA defines them, so GB is
 * 10^9 bytes and GiB 2^30), of a `{value, unit}` object whose `value` is already in bytes (the
 * catalog's form), or of a bare number taken in `bareUnit`.
 */
export function sizeInBytes(v: unknown, bareUnit: keyof typeof UNIT_BYTES): number | undefined {
  const rec = asRecord(v);
  if (rec) return asNumber(rec.value) ?? sizeInBytes(rec.size, bareUnit);
  const n = asNumber(v);
  if (n !== undefined) return n * UNIT_BYTES[bareUnit];
  const m = /^([\d.]+)\s*([a-zA-Z]+)$/.exec(asString(v) ?? '');
  const unit = m ? UNIT_BYTES[m[2].toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}
