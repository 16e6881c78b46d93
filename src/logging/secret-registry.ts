/** Secrets shorter than this are not masked by value: a two-letter password would mask half of every text. */
const MIN_SECRET_LENGTH = 4;

/** `scheme://user:password@` anywhere in a text, up to the last `@` before the host's end (a password may hold `@`). */
const URL_USER_INFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/g;

const MASK = '***';

/** The ways a secret is written in texts the service makes: as is, percent-encoded, JSON-escaped and XML-escaped. */
function writtenForms(secret: string): string[] {
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), xml];
}

/**
 * Every secret value the process knows: the passwords in its settings (MSB_URL's user-info), the ESC passwords of
 * the VNFM records as they are located, VIM passwords, the standalone simulator's password. The composition root
 * creates one and hands it to whatever learns a secret and to every place a text leaves the process (log lines,
 * job texts stored and polled, Notify bodies, error answers, the metrics text), which all mask through
 * {@link SecretRegistry.redact}: known values by value, URL user-info wherever a URL appears.
 */
export class SecretRegistry {
  private readonly forms = new Set<string>();
  /** One alternation of every form, longest first; rebuilt after a secret is added. */
  private pattern: RegExp | undefined;
  private stale = false;

  /** Registers a secret value (ignored when empty or shorter than {@link MIN_SECRET_LENGTH}). */
  add(secret: string | undefined | null): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of writtenForms(secret)) {
      if (form.length >= MIN_SECRET_LENGTH && !this.forms.has(form)) {
        this.forms.add(form);
        this.stale = true;
      }
    }
  }

  /**
   * Registers the password of a URL's user-info, as written and decoded, and the `user:password` pair as HTTP basic
   * authentication sends it (base64). A text that is not a URL is left alone.
   */
  addUrlCredentials(url: string | undefined): void {
    if (!url || !URL.canParse(url)) return;
    const parsed = new URL(url);
    if (!parsed.password) return;
    const user = safeDecode(parsed.username);
    const password = safeDecode(parsed.password);
    this.add(parsed.password);
    this.add(password);
    this.add(Buffer.from(`${user}:${password}`).toString('base64'));
  }

  /** `text` with every known secret replaced by `***` and user-info removed from every URL in it. */
  redact(text: string): string {
    let out = text.includes('://') ? text.replace(URL_USER_INFO, '$1') : text;
    const pattern = this.compiled();
    if (pattern !== undefined) out = out.replace(pattern, MASK);
    return out;
  }

  private compiled(): RegExp | undefined {
    if (this.stale) {
      const alternatives = [...this.forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : undefined;
      this.stale = false;
    }
    return this.pattern;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
