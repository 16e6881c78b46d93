import { readDemoFlags } from '../../../../src/standalone/demo/demo-flags';

describe('the demo flags', () => {
  it('when nothing is given, then the Notify JSON is not printed', () => {
    expect(readDemoFlags([], {})).toEqual({ notifyJson: false });
    expect(readDemoFlags([], { DEMO_NOTIFY_JSON: 'false' })).toEqual({ notifyJson: false });
  });

  it('when --notify-json or DEMO_NOTIFY_JSON=true is given, then the Notify JSON is printed', () => {
    expect(readDemoFlags(['--notify-json'], {})).toEqual({ notifyJson: true });
    expect(readDemoFlags([], { DEMO_NOTIFY_JSON: 'true' })).toEqual({ notifyJson: true });
  });

  it('when DEMO_NOTIFY_JSON is neither true nor false, or an argument is unknown, then it is refused naming it', () => {
    expect(() => readDemoFlags([], { DEMO_NOTIFY_JSON: 'yes' })).toThrow('DEMO_NOTIFY_JSON must be true or false, got "yes"');
    expect(() => readDemoFlags(['--json'], {})).toThrow('unknown argument --json');
  });
});
