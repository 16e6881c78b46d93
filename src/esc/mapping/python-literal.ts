/**
 * A reader for Python literal syntax (the `repr` of dicts, lists, tuples, strings, numbers,
 * True/False/None). NSLCM passes the stored VNFD to scale as such a string. Nothing is evaluated:
 * anything outside literal syntax is rejected.
 */
export class PythonLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'PythonLiteralError';
  }
}

const MAX_DEPTH = 200;
const KEYWORDS: Record<string, unknown> = { True: true, False: false, None: null };
const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** Parses one Python literal; throws {@link PythonLiteralError} on anything else. */
export function parsePythonLiteral(text: string): unknown {
  const reader = new LiteralReader(text);
  const value = reader.value(0);
  reader.skipSpace();
  if (!reader.atEnd()) throw new PythonLiteralError('unexpected trailing input', reader.pos);
  return value;
}

class LiteralReader {
  pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.s[this.pos])) this.pos++;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new PythonLiteralError('nesting too deep', this.pos);
    this.skipSpace();
    const c = this.s[this.pos];
    if (c === '{') return this.dict(depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === "'" || c === '"') return this.string();
    if (c !== undefined && /[-+0-9.]/.test(c)) return this.number();
    if (c === 'u' && /['"]/.test(this.s[this.pos + 1] ?? '')) {
      this.pos++;
      return this.string();
    }
    return this.keyword();
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.s[this.pos] !== ch) throw new PythonLiteralError(`expected '${ch}'`, this.pos);
    this.pos++;
  }

  /** Consumes `close` or a comma before the next item; true when the container ended. */
  private endOrComma(close: string): boolean {
    this.skipSpace();
    if (this.s[this.pos] === close) {
      this.pos++;
      return true;
    }
    this.expect(',');
    this.skipSpace();
    if (this.s[this.pos] === close) {
      this.pos++;
      return true;
    }
    return false;
  }

  private dict(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') throw new PythonLiteralError('unsupported dict key', this.pos);
      this.expect(':');
      // defineProperty keeps keys such as "__proto__" as plain data.
      Object.defineProperty(out, String(key), { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      if (this.endOrComma('}')) return out;
    }
  }

  private sequence(close: string, depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.s[this.pos] === close) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      if (this.endOrComma(close)) return out;
    }
  }

  private string(): string {
    const quote = this.s[this.pos];
    const start = this.pos++;
    let out = '';
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new PythonLiteralError('unterminated string', start);
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      out += this.escape();
    }
  }

  private escape(): string {
    const e = this.s[this.pos++];
    if (e === undefined) throw new PythonLiteralError('unterminated escape', this.pos);
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e];
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (width === 0) return `\\${e}`; // Python keeps unknown escapes verbatim
    const hex = this.s.slice(this.pos, this.pos + width);
    if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new PythonLiteralError('bad escape', this.pos);
    this.pos += width;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  private number(): number {
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.s.slice(this.pos));
    if (!m) throw new PythonLiteralError('bad number', this.pos);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private keyword(): unknown {
    const m = /^[A-Za-z_]\w*/.exec(this.s.slice(this.pos));
    if (!m || !(m[0] in KEYWORDS)) throw new PythonLiteralError('unexpected token', this.pos);
    this.pos += m[0].length;
    return KEYWORDS[m[0]];
  }
}
