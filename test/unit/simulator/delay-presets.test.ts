import { parseDelays, REALISTIC_DELAYS } from '../../../src/simulator/delay-presets';

describe('parseDelays', () => {
  it.each(['zero', '0', ''])('when the spec is %p, then no delay is set (all zero)', (spec) => {
    expect(parseDelays(spec)).toEqual({});
  });

  it('when the spec is realistic, then it is a copy of the realistic preset', () => {
    const d = parseDelays('realistic');
    expect(d).toEqual({
      tenant: 500,
      network: 500,
      vmDeployed: 3000,
      vmAlive: 15000,
      vmUndeployed: 1000,
      vmAction: 2000,
      recovery: 3000,
      service: 200,
    });
    d.vmAlive = 1;
    expect(REALISTIC_DELAYS.vmAlive).toBe(15000);
  });

  it('when single delays are given, then only those are set', () => {
    expect(parseDelays('vmAlive=2000,tenant=0')).toEqual({ vmAlive: 2000, tenant: 0 });
  });

  it.each([
    ['an unknown step', 'bootTime=5'],
    ['a name inherited by every object', 'toString=5'],
    ['a missing value', 'vmAlive'],
    ['an empty value', 'vmAlive='],
    ['a negative value', 'vmAlive=-1'],
    ['a fraction', 'vmAlive=1.5'],
    ['one bad part among good ones', 'vmAlive=1,x=2'],
  ])('when the spec has %s, then it throws naming the part and the valid keys', (_what, spec) => {
    expect(() => parseDelays(spec)).toThrow(
      /^invalid delay ".*"; use zero, realistic or tenant\|network\|vmDeployed\|vmAlive\|vmUndeployed\|vmAction\|recovery\|service=ms,\.\.\.$/,
    );
  });
});
