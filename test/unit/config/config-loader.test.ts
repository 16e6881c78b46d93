import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildConfig, ConfigError, loadConfig } from '../../../src/config/config-loader';

describe('buildConfig', () => {
  it('when nothing is given, then every key has its documented default', () => {
    const c = buildConfig();
    expect(c).toMatchObject({ port: 8489, vnfmType: 'ciscovnfmdriver', storePath: './data/driver.db', bodyLimitBytes: 1048576, msbRegister: false, servicePort: 8489 });
    expect(c.jobDeadlineSeconds.instantiate).toBeLessThan(3000);
    expect(c.jobDeadlineSeconds.heal).toBeLessThan(1200);
  });

  it('when the environment overrides the file, then the environment wins', () => {
    const c = buildConfig({ PORT: 1000, MSB_REGISTER: 'yes' }, { PORT: '2000', JOB_DEADLINE_SECONDS: 'scale=60' });
    expect(c.port).toBe(2000);
    expect(c.msbRegister).toBe(true);
    expect(c.jobDeadlineSeconds.scale).toBe(60);
  });

  it('when MSB_REGISTER is anything but true/1/yes, then it means no', () => {
    expect(buildConfig({ MSB_REGISTER: 'on' }).msbRegister).toBe(false);
  });

  it('when an integer setting is out of its range or not an integer, then the error names it and says why', () => {
    for (const [raw, reason] of [['600001', 'must be between 0 and 600000, got 600001'], ['-1', 'must be between 0 and 600000, got -1'], ['1.5', 'must be an integer, got "1.5"'], ['--3', 'must be an integer, got "--3"']]) {
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
    expect(() => loadConfig({ CONFIG_FILE: path.join(os.tmpdir(), 'no-such-driver-config.json') }))
      .toThrow(expect.objectContaining({ problems: [expect.objectContaining({ key: 'CONFIG_FILE', reason: expect.stringContaining('does not exist') })] }));
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
