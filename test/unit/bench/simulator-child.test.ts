import { knownHostsLine, parseSimulatorReady } from '../../../bench/lib/simulator-child';

describe('parseSimulatorReady', () => {
  it('when the CLI prints its ready line, then host, port and fingerprint are read', () => {
    expect(parseSimulatorReady('ESC simulator ready on 127.0.0.1:42815 host key SHA256:q4J0Lk+7/zXb2v9dQe1Yx\n')).toEqual({
      host: '127.0.0.1',
      port: 42815,
      fingerprint: 'SHA256:q4J0Lk+7/zXb2v9dQe1Yx',
    });
  });

  it('when the admin port is announced too, then the line still parses', () => {
    expect(parseSimulatorReady('ESC simulator ready on 127.0.0.1:18830 host key SHA256:abc admin http://127.0.0.1:9000')?.port).toBe(18830);
  });

  it.each([
    ['another line', 'listening soon'],
    ['a port out of range', 'ESC simulator ready on 127.0.0.1:70000 host key SHA256:abc'],
    ['port 0', 'ESC simulator ready on 127.0.0.1:0 host key SHA256:abc'],
    ['no fingerprint', 'ESC simulator ready on 127.0.0.1:830 host key'],
  ])('when given %s, then it returns undefined', (_what, line) => {
    expect(parseSimulatorReady(line)).toBeUndefined();
  });
});

describe('knownHostsLine', () => {
  it('when the port is not 22, then the host is written [host]:port and the key comment dropped', () => {
    expect(knownHostsLine('127.0.0.1', 42815, 'ssh-ed25519 AAAAC3Nza comment')).toBe('[127.0.0.1]:42815 ssh-ed25519 AAAAC3Nza\n');
  });

  it('when the port is 22, then the host is written bare', () => {
    expect(knownHostsLine('esc.example', 22, 'ssh-ed25519 AAAA')).toBe('esc.example ssh-ed25519 AAAA\n');
  });

  it('when the key has no base64 part, then it throws', () => {
    expect(() => knownHostsLine('127.0.0.1', 830, 'ssh-ed25519')).toThrow('not an OpenSSH public key');
  });
});
