import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildConfig, ConfigError, loadConfig } from '../../../src/config/config-loader';
import { thrownBy } from '../../support/thrown';

describe('buildConfig', () => {
  it('when nothing is given, then every key has its documented default', () => {
    const c = buildConfig();
    expect(c).toMatchObject({
      port: 8489,
      vnfmType: 'ciscovnfmdriver',
      storePath: './data/driver.db',
      bodyLimitBytes: 1048576,
      msbRegister: false,
      servicePort: 8489,
    });
    expect(c.jobDeadlineSeconds.instantiate).toBeLessThan(3000);
    expect(c.jobDeadlineSeconds.heal).toBeLessThan(1200);
  });

  it('when ESC_VIM_CONNECTORS maps VIMs to connectors, then the map is kept; a malformed entry is named', () => {
    expect(buildConfig({}, { ESC_VIM_CONNECTORS: 'CloudOwner_RegionOne=site-a, CloudOwner_RegionTwo=site-b' }).escVimConnectors).toEqual({
      CloudOwner_RegionOne: 'site-a',
      CloudOwner_RegionTwo: 'site-b',
    });
    expect(buildConfig().escVimConnectors).toBeUndefined();
    expect(buildConfig().escManageVimConnectors).toBe(false);
    expect(() => buildConfig({}, { ESC_VIM_CONNECTORS: 'CloudOwner_RegionOne' })).toThrow(/ESC_VIM_CONNECTORS.*owner_region=connectorId/);
  });

  it('when STORE_URL names PostgreSQL, then it is kept; anything else is refused without repeating it (it holds a password)', () => {
    expect(buildConfig().storeUrl).toBeUndefined();
    expect(buildConfig({}, { STORE_URL: 'postgres://u:pw@db:5432/driver' }).storeUrl).toBe('postgres://u:pw@db:5432/driver');
    for (const raw of ['mysql://u:s3cretpw@db/driver', 'postgres://u:s3cretpw@db:5432', 'not a url s3cretpw']) {
      const err = thrownBy(() => buildConfig({}, { STORE_URL: raw }));
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/STORE_URL/);
      expect((err as Error).message).not.toContain('s3cretpw');
    }
  });

  it('when the lease is renewed less than twice per lease, then LEASE_RENEW_MS is refused', () => {
    expect(buildConfig()).toMatchObject({ leaseTtlMs: 30_000, leaseRenewMs: 10_000 });
    expect(buildConfig().replicaId).toBeUndefined();
    expect(buildConfig({}, { LEASE_TTL_MS: '4000', LEASE_RENEW_MS: '2000', REPLICA_ID: 'pod-0' })).toMatchObject({
      leaseTtlMs: 4000,
      leaseRenewMs: 2000,
      replicaId: 'pod-0',
    });
    expect(() => buildConfig({}, { LEASE_TTL_MS: '4000', LEASE_RENEW_MS: '2500' })).toThrow(/LEASE_RENEW_MS.*at most half of LEASE_TTL_MS/);
  });

  it('when the environment overrides the file, then the environment wins', () => {
    const c = buildConfig({ PORT: 1000, MSB_REGISTER: 'yes' }, { PORT: '2000', JOB_DEADLINE_SECONDS: 'scale=60' });
    expect(c.port).toBe(2000);
    expect(c.msbRegister).toBe(true);
    expect(c.jobDeadlineSeconds.scale).toBe(60);
  });

  it.each(['MSB_REGISTER'])('when the boolean setting %s is neither true nor false, then the error names the key', (key) => {
    for (const raw of ['ture', 'TRUE', 'on', ' true', 'y']) {
      try {
        buildConfig({ [key]: raw });
        throw new Error(`accepted ${raw}`);
      } catch (err) {
        expect((err as ConfigError).problems).toEqual([{ key, reason: `must be true or false, got "${raw}"` }]);
      }
    }
  });

  it('when a boolean setting is true/false (or 1/0, yes/no, or a JSON boolean), then it has that value', () => {
    expect(buildConfig({ MSB_REGISTER: true })).toMatchObject({ msbRegister: true });
    expect(buildConfig({ MSB_REGISTER: false })).toMatchObject({ msbRegister: false });
    expect(buildConfig({ MSB_REGISTER: '1' })).toMatchObject({ msbRegister: true });
    expect(buildConfig({ MSB_REGISTER: 'no' })).toMatchObject({ msbRegister: false });
    expect(buildConfig({ MSB_REGISTER: 'true' })).toMatchObject({ msbRegister: true });
  });

  it('when LOG_FORMAT is json or text, then it is taken; unset leaves the choice to the terminal; anything else is named', () => {
    expect(buildConfig({ LOG_FORMAT: 'text' }).logFormat).toBe('text');
    expect(buildConfig().logFormat).toBeUndefined();
    expect(() => buildConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT must be one of json\|text/);
  });

  it('when an integer setting is out of its range or not an integer, then the error names it and says why', () => {
    for (const [raw, reason] of [
      ['600001', 'must be between 0 and 600000, got 600001'],
      ['-1', 'must be between 0 and 600000, got -1'],
      ['1.5', 'must be an integer, got "1.5"'],
      ['--3', 'must be an integer, got "--3"'],
    ]) {
      try {
        buildConfig({ SHUTDOWN_TIMEOUT_MS: raw });
        throw new Error('no error');
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems).toEqual([{ key: 'SHUTDOWN_TIMEOUT_MS', reason }]);
      }
    }
  });

  it('when several keys are bad, then the error names each of them', () => {
    try {
      buildConfig({ PORT: '-1', LOG_LEVEL: 'loud', MSB_URL: 'ftp://x', BODY_LIMIT: 'huge' });
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.key)).toEqual(['PORT', 'LOG_LEVEL', 'BODY_LIMIT', 'MSB_URL']);
    }
  });

  it('when CONFIG_FILE names a file that does not exist, then loading fails naming CONFIG_FILE', () => {
    expect(thrownBy(() => loadConfig({ CONFIG_FILE: path.join(os.tmpdir(), 'no-such-driver-config.json') }))).toMatchObject({
      problems: [{ key: 'CONFIG_FILE', reason: expect.stringContaining('does not exist') as unknown }],
    });
  });

  it('when CONFIG_FILE is not valid JSON, then loading fails naming CONFIG_FILE instead of throwing a SyntaxError', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"PORT": 80,');
    try {
      expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(ConfigError);
      expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
