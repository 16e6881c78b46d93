import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { checkKnownHost, keyTypeOf, knownHostsName } from '../../../src/netconf/known-hosts';

/** An SSH wire-format ed25519 public key blob (RFC 8709 §4). */
function ed25519Blob(): Buffer {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const type = Buffer.from('ssh-ed25519');
  const len = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(type.length), type, len(raw.length), raw]);
}

describe('known_hosts', () => {
  const key = ed25519Blob();
  const other = ed25519Blob();
  const line = (host: string, k: Buffer): string => `${host} ${keyTypeOf(k)} ${k.toString('base64')} comment`;

  it('when the host and port are listed with the same key, then the key matches', () => {
    expect(knownHostsName('127.0.0.1', 2022)).toBe('[127.0.0.1]:2022');
    expect(checkKnownHost(`# c\n${line('[127.0.0.1]:2022', key)}\n`, '127.0.0.1', 2022, key)).toBe('match');
  });

  it('when another key of the same type is listed, then it is a mismatch', () => {
    expect(checkKnownHost(line('[127.0.0.1]:2022', other), '127.0.0.1', 2022, key)).toBe('mismatch');
  });

  it('when the host is listed only for another port, then it is unknown', () => {
    expect(checkKnownHost(line('[127.0.0.1]:2023', key), '127.0.0.1', 2022, key)).toBe('unknown');
    expect(checkKnownHost(line('127.0.0.1', key), '127.0.0.1', 2022, key)).toBe('unknown');
  });

  it('when the host name is hashed, then it still matches', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[esc.example]:830').digest('base64');
    expect(checkKnownHost(line(`|1|${salt.toString('base64')}|${hash}`, key), 'esc.example', 830, key)).toBe('match');
  });

  it('when a wildcard matches but a negated pattern excludes the host, then it is unknown', () => {
    expect(checkKnownHost(line('*.example,!bad.example', key), 'good.example', 22, key)).toBe('match');
    expect(checkKnownHost(line('*.example,!bad.example', key), 'bad.example', 22, key)).toBe('unknown');
  });

  it('when the key is marked revoked, then it is revoked even if also listed', () => {
    const content = `${line('h', key)}\n@revoked ${line('*', key)}`;
    expect(checkKnownHost(content, 'h', 22, key)).toBe('revoked');
  });
});
