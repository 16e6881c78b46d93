/** Redaction of secrets before anything reaches a log line, an error message or a Notify body. */

/** Key names whose values are secrets, wherever they appear. */
const SECRET_KEY = /pass(word|wd)?|secret|token|credential|private_?key|authorization/i;

/** True when a value stored under `key` must never be shown. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Removes `user:password@` user-info from a URL or `user:pw@host` string, leaving the rest as written; up to the
 * last `@` before the path, so that a password holding `@` goes whole.
 */
export function stripUrlCredentials(url: string): string {
  return url.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/\s]*@/, '$1');
}

/** Deep copy of a JSON-like value with secret-looking keys replaced by `***`, at any depth (up to 20 levels). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) ? '***' : redactSecrets(v, depth + 1);
  }
  return out;
}

/** A short, redacted text form of a response body for errors and logs. */
export function excerptBody(body: unknown, max = 500): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  let text: string;
  if (typeof body === 'string') {
    text = redactJsonText(body);
  } else if (Buffer.isBuffer(body)) {
    text = redactJsonText(body.toString('utf8'));
  } else {
    text = JSON.stringify(redactSecrets(body));
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function redactJsonText(text: string): string {
  try {
    return JSON.stringify(redactSecrets(JSON.parse(text)));
  } catch {
    return text.replace(/("?(?:pass(?:word|wd)?|secret|token|credential|private_?key|authorization)"?\s*[:=]\s*)("[^"]*"|\S+)/gi, '$1***');
  }
}
