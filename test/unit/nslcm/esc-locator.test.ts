import { EscAddressError, EscLocator, parseEscAddress } from '../../../src/nslcm/esc-locator';
import type { VnfmInfo } from '../../../src/nslcm/nslcm-types';
import { SecretRegistry } from '../../../src/logging/secret-registry';

describe('parseEscAddress', () => {
  it.each([
    ['ssh://esc.example.net:2022', { host: 'esc.example.net', port: 2022 }],
    ['ssh://admin@10.0.0.5:830', { host: '10.0.0.5', port: 830 }],
    ['netconf://10.0.0.5', { host: '10.0.0.5', port: 831 }],
    ['10.0.0.5:2830', { host: '10.0.0.5', port: 2830 }],
    ['esc-1', { host: 'esc-1', port: 831 }],
    ['http://10.0.0.5:8080', { host: '10.0.0.5', port: 831 }],
    ['https://esc.example.net/escmanager', { host: 'esc.example.net', port: 831 }],
    ['[2001:db8::1]:2022', { host: '2001:db8::1', port: 2022 }],
    ['ssh://[2001:db8::1]:2022', { host: '2001:db8::1', port: 2022 }],
    ['https://[2001:db8::1]:8443/', { host: '2001:db8::1', port: 831 }],
    ['2001:db8::1', { host: '2001:db8::1', port: 831 }],
    ['  ssh://esc:22  ', { host: 'esc', port: 22 }],
  ])('when the VNFM url is %s, then the ESC address is %j', (url, expected) => {
    expect(parseEscAddress(url, 831)).toEqual(expected);
  });

  it.each(['', 'ftp://esc:21', 'esc:99999', 'esc:abc', 'esc:', 'a b:22', 'esc/path', 'ssh://:22', '[::1', 'bad_host!:22'])(
    'when the VNFM url is "%s", then a clear EscAddressError is thrown',
    (url) => {
      expect(() => parseEscAddress(url, 830)).toThrow(EscAddressError);
    },
  );

  it('when the URL carries a password, then the error message does not contain it', () => {
    expect(() => parseEscAddress('ftp://user:s3cret@esc', 830)).toThrow(/unsupported scheme/);
    expect(() => parseEscAddress('ftp://user:s3cret@esc', 830)).not.toThrow(/s3cret/);
    expect(() => parseEscAddress('user:s3cret@bad host', 830)).not.toThrow(/s3cret/);
  });
});

function fakeNslcm(url = 'ssh://10.1.1.1:2022') {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  return {
    calls,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
    async getVnfmInfo(vnfmId: string): Promise<VnfmInfo> {
      calls.push(vnfmId);
      if (gate) await gate;
      const info = { vnfmId, name: 'n', type: 't', url, userName: 'admin' } as VnfmInfo;
      Object.defineProperty(info, 'password', { value: 'pw', enumerable: false });
      return info;
    },
  };
}

function withPassword(vnfmId: string, url: string, password: string): Promise<VnfmInfo> {
  const info = { vnfmId, name: 'n', type: 't', url, userName: 'admin' } as VnfmInfo;
  Object.defineProperty(info, 'password', { value: password, enumerable: false });
  return Promise.resolve(info);
}

describe('EscLocator', () => {
  it('when asked twice within the TTL, then NSLCM is asked once and the password is not enumerable', async () => {
    const nslcm = fakeNslcm();
    const locator = new EscLocator({ nslcm, ttlMs: 1000, now: () => 0 });
    const a = await locator.locate('v1');
    const b = await locator.locate('v1');
    expect(nslcm.calls).toEqual(['v1']);
    expect(b).toBe(a);
    expect(a).toMatchObject({ host: '10.1.1.1', port: 2022, userName: 'admin', password: 'pw' });
    expect(JSON.stringify(a)).not.toContain('pw');
  });

  it('when the TTL has passed, then NSLCM is asked again', async () => {
    let t = 0;
    const nslcm = fakeNslcm();
    const locator = new EscLocator({ nslcm, ttlMs: 1000, now: () => t });
    await locator.locate('v1');
    t = 1001;
    await locator.locate('v1');
    expect(nslcm.calls).toEqual(['v1', 'v1']);
  });

  it('when invalidated after an auth failure, then the next lookup asks NSLCM again', async () => {
    const nslcm = fakeNslcm();
    const locator = new EscLocator({ nslcm, ttlMs: 60_000 });
    await locator.locate('v1');
    locator.invalidate('v1');
    await locator.locate('v1');
    expect(nslcm.calls).toEqual(['v1', 'v1']);
  });

  it('when lookups for one VNFM run concurrently, then they share one NSLCM request', async () => {
    const nslcm = fakeNslcm();
    nslcm.hold();
    const locator = new EscLocator({ nslcm });
    const all = Promise.all([locator.locate('v1'), locator.locate('v1'), locator.locate('v2')]);
    await new Promise((r) => setImmediate(r));
    nslcm.release();
    const [a, b] = await all;
    expect(a).toBe(b);
    expect(nslcm.calls.sort()).toEqual(['v1', 'v2']);
  });

  it("when an ESC is located, then the record's password and any password in its url are registered as secrets, even when the url cannot be read", async () => {
    const secrets = new SecretRegistry();
    const good = new EscLocator({ nslcm: fakeNslcm('ssh://admin:url-s3cret@10.1.1.1:2022'), secrets });
    await good.locate('v1');
    expect(secrets.redact('pw url-s3cret')).toBe('pw ***');
    const bad = new EscLocator({ nslcm: { getVnfmInfo: (id) => withPassword(id, 'esc:rec-s3cret', 'rec-s3cret') }, secrets });
    const err = await bad.locate('v2').catch((e: Error) => e);
    expect(err).toBeInstanceOf(EscAddressError);
    expect(secrets.redact((err as Error).message)).toBe('cannot read ESC address from VNFM url "esc:***": port "***" is not a number');
  });

  it('when the VNFM url is garbage, then locate rejects and nothing is cached', async () => {
    const nslcm = fakeNslcm('ftp://x');
    const locator = new EscLocator({ nslcm });
    await expect(locator.locate('v1')).rejects.toThrow(EscAddressError);
    expect(locator.size).toBe(0);
  });

  it('when the caller aborts, then its wait ends but the shared lookup still completes for others', async () => {
    const nslcm = fakeNslcm();
    nslcm.hold();
    const locator = new EscLocator({ nslcm });
    const ac = new AbortController();
    const first = locator.locate('v1', ac.signal);
    const second = locator.locate('v1');
    ac.abort();
    await expect(first).rejects.toThrow(/aborted/);
    nslcm.release();
    await expect(second).resolves.toMatchObject({ host: '10.1.1.1' });
  });
});
