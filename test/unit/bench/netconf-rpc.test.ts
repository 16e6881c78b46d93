import { netconfdSkipReason, parseCounts, peerMetrics } from '../../../bench/netconf-rpc';

describe('netconf-rpc parseCounts', () => {
  it('when no counts are given, then 2000 sequential, 20000 pipelined and 100000 notifications are used', () => {
    expect(parseCounts([])).toEqual({ sequential: 2000, pipelined: 20_000, notifications: 100_000 });
  });

  it('when some counts are given, then they replace the defaults in order', () => {
    expect(parseCounts(['10', '500'])).toEqual({ sequential: 10, pipelined: 500, notifications: 100_000 });
  });

  it.each([['0'], ['-5'], ['1.5'], ['many'], ['']])('when a count is %p, then it throws', (bad) => {
    expect(() => parseCounts(['10', bad])).toThrow('count #2 must be an integer in [1, 10000000]');
  });
});

describe('netconf-rpc peerMetrics', () => {
  it('when the rates meet the targets, then pipelined and notification rates pass and sequential has no target', () => {
    expect(peerMetrics('netconfd', { sequential: 3687.4, pipelined: 17_749.6, notifications: 106_166.2 })).toEqual([
      { metric: 'netconfd: sequential get', value: 3687, unit: 'rpc/s' },
      { metric: 'netconfd: pipelined get (256 in flight)', value: 17_750, unit: 'rpc/s', target: '≥ 5,000', pass: true },
      { metric: 'netconfd: notifications parsed', value: 106_166, unit: 'notifications/s', target: '≥ 20,000', pass: true },
    ]);
  });

  it('when the rates are below the targets, then both targeted metrics miss', () => {
    const [, pipe, notif] = peerMetrics('ESC simulator', { sequential: 100, pipelined: 4999, notifications: 19_999 });
    expect([pipe.pass, notif.pass]).toEqual([false, false]);
  });
});

describe('netconf-rpc netconfdSkipReason', () => {
  it('when every package is there and this is root, then netconfd runs', () => {
    expect(netconfdSkipReason([], 0)).toBeUndefined();
  });

  it('when packages are missing, then the reason names them and the install script', () => {
    expect(netconfdSkipReason(['netconfd', 'openssh-server'], 0)).toBe(
      'netconfd, openssh-server not installed (test/interop/install-peers.sh)',
    );
  });

  it('when this is not root, then the reason says root is needed', () => {
    expect(netconfdSkipReason([], 1000)).toBe('starting the private sshd + netconfd needs root');
  });
});
