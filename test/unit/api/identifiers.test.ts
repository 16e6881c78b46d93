import { HttpError } from '../../../src/api/http-errors';
import { ID_PATTERN, requireId } from '../../../src/api/identifiers';

describe('identifiers', () => {
  it.each(['vnfm-esc-1', '3f36bccf-f19a-4507-8c81-6ffec9f25156', 'sample-web-db-1.0', 'a..b', '.hidden', 'x'.repeat(255), 'a:b@c+d~e_f'])(
    'when an id is %s, then it is accepted',
    (id) => {
      expect(ID_PATTERN.test(id)).toBe(true);
    },
  );

  it.each(['', '.', '..', 'a/b', 'a\\b', 'a b', 'a\u0000b', 'a\nb', 'x'.repeat(256), 'a%2e', 'a?b', 'a#b', 'ü', '<a>'])(
    'when an id is %j, then 400 names the field',
    (id) => {
      expect(() => requireId('vnfmid', id)).toThrow(HttpError);
      try {
        requireId('vnfmid', id);
      } catch (err) {
        expect((err as HttpError).details).toEqual([{ field: 'vnfmid', reason: expect.stringContaining('vnfmid must be') as unknown }]);
      }
    },
  );
});
