import { excerptBody, redactSecrets, stripUrlCredentials } from '../../../src/nslcm/redact';
import { parseVimRef, splitVimId } from '../../../src/nslcm/vim-ref';

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

  it('when a body is long, then the excerpt is cut', () => {
    expect(excerptBody('x'.repeat(1000), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});

describe('VIM references', () => {
  it.each([
    [{ cloud_owner: 'o', cloud_regionid: 'r' }, { cloudOwner: 'o', cloudRegionId: 'r' }],
    ['{"cloud_owner":"o","cloud_regionid":"r_1"}', { cloudOwner: 'o', cloudRegionId: 'r_1' }],
    ['o_r_1', { cloudOwner: 'o', cloudRegionId: 'r_1' }],
  ])('when the reference is %j, then it reads %j', (input, out) => {
    expect(parseVimRef(input)).toEqual(out);
  });

  it.each([['noUnderscore'], ['{bad json'], [{ cloud_owner: 'o' }], [42]])('when the reference is %j, then it is rejected', (input) => {
    expect(() => parseVimRef(input)).toThrow();
  });

  it('when a VIM id has no region, then splitVimId throws', () => {
    expect(() => splitVimId('owner_')).toThrow(/cloud_owner/);
  });
});
