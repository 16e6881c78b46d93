import { pathOf, UnsafeUrlError, urlUnder } from '../../../src/http/url-path';

describe('pathOf', () => {
  it('when values hold reserved characters, then each becomes one encoded segment', () => {
    expect(pathOf`/api/nslcm/v1/ns/${'a/b'}/vnfs/${'x?y#z%'}/Notify`).toBe('/api/nslcm/v1/ns/a%2Fb/vnfs/x%3Fy%23z%25/Notify');
    expect(pathOf`/api/catalog/v1/vnfpackages/${'..a'}`).toBe('/api/catalog/v1/vnfpackages/..a');
  });

  it.each(['', '.', '..'])('when a value is "%s", then it is refused', (segment) => {
    expect(() => pathOf`/api/nslcm/v1/vnfms/${segment}`).toThrow(UnsafeUrlError);
  });
});

describe('urlUnder', () => {
  it('when the path stays below the base, then it is the base followed by the path', () => {
    expect(urlUnder('http://msb:80/', '/api/nslcm/v1/vnfms/a%2Fb')).toBe('http://msb:80/api/nslcm/v1/vnfms/a%2Fb');
    expect(urlUnder('http://u:p@msb:80/prefix', '/api/x')).toBe('http://u:p@msb:80/prefix/api/x');
  });

  it.each([
    ['/api/nslcm/v1/vnfms/..', 'a dot-dot segment'],
    ['/api/nslcm/v1/vnfms/%2e%2e', 'an encoded dot-dot segment'],
    ['/api/./x', 'a dot segment'],
    ['/../../etc', 'a climb above the base'],
    ['@evil.example/x', 'a change of host'],
  ])('when the path is %s (%s), then it is refused', (path) => {
    expect(() => urlUnder('http://msb:80/prefix', path)).toThrow(UnsafeUrlError);
  });
});
