import { readDemoFlags } from '../../../../src/standalone/demo/demo-flags';

describe('the demo flags', () => {
  it('when nothing is given, then the Notify JSON is not printed', () => {
    expect(readDemoFlags([], {})).toEqual({ plan: 'walk', notifyJson: false });
    expect(readDemoFlags([], { DEMO_NOTIFY_JSON: 'false' })).toEqual({ plan: 'walk', notifyJson: false });
  });

  it('when --notify-json or DEMO_NOTIFY_JSON=true is given, then the Notify JSON is printed', () => {
    expect(readDemoFlags(['--notify-json'], {})).toEqual({ plan: 'walk', notifyJson: true });
    expect(readDemoFlags([], { DEMO_NOTIFY_JSON: 'true' })).toEqual({ plan: 'walk', notifyJson: true });
  });

  it('when DEMO_NOTIFY_JSON is neither true nor false, or an argument is unknown, then it is refused naming it', () => {
    expect(() => readDemoFlags([], { DEMO_NOTIFY_JSON: 'yes' })).toThrow('DEMO_NOTIFY_JSON must be true or false, got "yes"');
    expect(() => readDemoFlags(['--json'], {})).toThrow('unknown argument --json');
  });

  it('when closed-loop is named, then that plan runs; two plans or an unknown word are refused', () => {
    expect(readDemoFlags(['closed-loop'], {})).toEqual({ plan: 'closed-loop', notifyJson: false });
    expect(readDemoFlags(['closed-loop', '--notify-json'], {})).toEqual({ plan: 'closed-loop', notifyJson: true });
    expect(() => readDemoFlags(['walk', 'closed-loop'], {})).toThrow('one plan at a time, got walk and closed-loop');
    expect(() => readDemoFlags(['closed'], {})).toThrow(
      'unknown argument closed (the demo takes a plan, walk or closed-loop, and --notify-json)',
    );
  });
});
