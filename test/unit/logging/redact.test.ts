import { excerptBody, isSecretKey, redactSecrets, stripUrlCredentials } from '../../../src/logging/redact';

describe('redaction', () => {
  it('when a URL has user-info, then it is removed', () => {
    expect(stripUrlCredentials('http://u:pw@127.0.0.1:8080/api')).toBe('http://127.0.0.1:8080/api');
    expect(stripUrlCredentials('http://127.0.0.1/x')).toBe('http://127.0.0.1/x');
  });

  it('when a body has password fields at any depth, then they are masked', () => {
    expect(redactSecrets({ a: { password: 'x', userName: 'u' }, list: [{ passwd: 'y' }] })).toEqual({
      a: { password: '***', userName: 'u' },
      list: [{ passwd: '***' }],
    });
    expect(excerptBody('{"password":"hunter2","url":"x"}')).not.toContain('hunter2');
    expect(excerptBody('password=hunter2 rest')).not.toContain('hunter2');
  });

  it('when a key names a password, secret, token, credential, private key or authorization, then its value is masked', () => {
    for (const key of ['password', 'passwd', 'clientSecret', 'token', 'credentials', 'private_key', 'privateKey', 'Authorization']) {
      expect(isSecretKey(key)).toBe(true);
      expect(redactSecrets({ [key]: 'hunter2' })).toEqual({ [key]: '***' });
    }
    expect(isSecretKey('userName')).toBe(false);
    expect(excerptBody('{"privateKey":"hunter2"}')).not.toContain('hunter2');
    expect(excerptBody('authorization: hunter2')).not.toContain('hunter2');
  });

  it('when a body is long, then the excerpt is cut', () => {
    expect(excerptBody('x'.repeat(1000), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
