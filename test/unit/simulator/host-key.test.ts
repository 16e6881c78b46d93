import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { utils } from 'ssh2';
import { describeHostKey, loadHostKey } from '../../../src/simulator/host-key';

describe('loadHostKey', () => {
  it('when 2,000 keys are generated, then every one of them can be read back', () => {
    // About 1 raw ssh2 ed25519 key in 256 cannot be parsed (leading zero bytes of the public key are stripped).
    let unreadable = 0;
    for (let i = 0; i < 2000; i++) {
      const key = loadHostKey({});
      if (utils.parseKey(key.privateKey) instanceof Error) unreadable++;
    }
    expect(unreadable).toBe(0);
  });

  it('when a data directory is given, then the key is written once (mode 600) and the same key is loaded again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-key-'));
    try {
      const first = loadHostKey({ dataDir: path.join(dir, 'data') });
      const again = loadHostKey({ dataDir: path.join(dir, 'data') });
      const file = path.join(dir, 'data', 'ssh_host_ed25519_key');

      expect(again.fingerprint).toBe(first.fingerprint);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(first.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+$/);
      expect(first.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]+$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the key given is not a key, then the error says the host key is invalid', () => {
    expect(() => describeHostKey('not a key')).toThrow(/invalid host key/);
  });
});
