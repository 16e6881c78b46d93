import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import { SecretRegistry } from '../../../src/logging/secret-registry';

function capture(): { stream: PassThrough; lines: string[] } {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { stream, lines };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('SecretRegistry.redact', () => {
  it('when a registered secret appears anywhere in a text, then every occurrence is masked', () => {
    const secrets = new SecretRegistry();
    secrets.add('Pl4nted-ESC-pw');
    expect(secrets.redact('login admin/Pl4nted-ESC-pw failed; retry with Pl4nted-ESC-pw')).toBe('login admin/*** failed; retry with ***');
  });

  it('when a secret holds characters that JSON, URLs and XML escape, then its escaped forms are masked too', () => {
    const secrets = new SecretRegistry();
    const secret = 'a"b\\c&d<e f';
    secrets.add(secret);
    expect(secrets.redact(JSON.stringify({ error: `bad ${secret}` }))).toBe('{"error":"bad ***"}');
    expect(secrets.redact(`q=${encodeURIComponent(secret)}`)).toBe('q=***');
    expect(secrets.redact('<p>a&quot;b\\c&amp;d&lt;e f</p>')).toBe('<p>***</p>');
  });

  it('when two secrets overlap, then the longer one is masked whole', () => {
    const secrets = new SecretRegistry();
    secrets.add('secret');
    secrets.add('secret-and-more');
    expect(secrets.redact('x secret-and-more y secret')).toBe('x *** y ***');
  });

  it('when a secret is shorter than four characters or empty, then it is not registered (it would mask ordinary words)', () => {
    const secrets = new SecretRegistry();
    secrets.add('abc');
    secrets.add('');
    secrets.add(undefined);
    expect(secrets.redact('abc is fine')).toBe('abc is fine');
  });

  it('when a URL with user-info is registered, then its password, decoded or not, and the basic authentication pair are masked', () => {
    const secrets = new SecretRegistry();
    secrets.addUrlCredentials('http://msbadmin:Pl4nted%40pw@msb:80/api');
    const basic = Buffer.from('msbadmin:Pl4nted@pw').toString('base64');
    expect(secrets.redact(`pw Pl4nted@pw, Pl4nted%40pw, Authorization: Basic ${basic}`)).toBe('pw ***, ***, Authorization: Basic ***');
  });

  it('when a text holds a URL with user-info nobody registered, then the user-info is removed and the rest kept', () => {
    const secrets = new SecretRegistry();
    expect(secrets.redact('GET ssh://admin:p@ss@esc:830/x failed; see http://h/y?a=b@c')).toBe(
      'GET ssh://esc:830/x failed; see http://h/y?a=b@c',
    );
  });
});

describe('createLogger with a secret registry', () => {
  it.each(['json', 'text'] as const)(
    'when a %s line holds a registered secret in its message, a field or a nested value, then the line masks it',
    async (format) => {
      const out = capture();
      const secrets = new SecretRegistry();
      const log = createLogger({ level: 'debug', stream: out.stream, format, secrets });
      secrets.add('Pl4nted-s3cret');
      log.debug('login with Pl4nted-s3cret refused', {
        error: 'x Pl4nted-s3cret',
        nested: { list: ['Pl4nted-s3cret'] },
        url: 'http://u:v@h',
      });
      await settle();
      expect(out.lines).toHaveLength(1);
      expect(out.lines[0]).not.toContain('Pl4nted-s3cret');
      expect(out.lines[0]).not.toContain('u:v@');
      expect(out.lines[0]).toContain('login with *** refused');
      if (format === 'json')
        expect(JSON.parse(out.lines[0] ?? '')).toMatchObject({ error: 'x ***', nested: { list: ['***'] }, url: 'http://h' });
    },
  );
});
