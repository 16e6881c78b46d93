import { parseBooleanFlag } from '../../../src/msb/boolean-flag';

describe('parseBooleanFlag', () => {
  it.each(['true', '1', 'yes'])('when the value is "%s", then it means yes', (value) => {
    expect(parseBooleanFlag(value)).toBe(true);
  });

  it.each(['false', '0', 'no', '', 'TRUE', 'Yes', ' true', 'true ', 'on', 'y', '2'])(
    'when the value is "%s", then it means no',
    (value) => {
      expect(parseBooleanFlag(value)).toBe(false);
    },
  );

  it('when the variable is unset, then it means no', () => {
    expect(parseBooleanFlag(undefined)).toBe(false);
  });
});
