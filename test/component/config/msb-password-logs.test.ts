import { recordingLog, type Logged } from '../../support/recording-log';
import { startEscRig } from '../lifecycle/esc-service-harness';

/** A password nobody would write by chance; `%40` is an encoded `@`, so the decoded form is looked for too. */
const PLANTED = 'Pl4nted-MSB-pw%40x7Q';

describe('the MSB password in MSB_URL', () => {
  it('when the service starts at debug level with user-info in MSB_URL, then no log line holds the password', async () => {
    const lines: Logged[] = [];
    const rig = await startEscRig({
      config: { logLevel: 'debug' },
      log: recordingLog(lines),
      msbUrl: (url) => url.replace('http://', `http://msbadmin:${PLANTED}@`),
    });
    await rig.stop();
    const started = lines.find((l) => l.message === 'service started');
    const wired = lines.find((l) => l.message === 'ESC driver wired');
    expect(JSON.stringify(started?.meta)).toContain(`"MSB_URL":"http://127.0.0.1:${new URL(rig.config.msbUrl!).port}"`);
    expect(JSON.stringify(wired?.meta)).toContain(`"nslcm":"http://127.0.0.1:${new URL(rig.config.msbUrl!).port}"`);
    const leaking = lines.filter((l) => [PLANTED, decodeURIComponent(PLANTED)].some((secret) => JSON.stringify(l).includes(secret)));
    expect(leaking.map((l) => `${l.level} ${l.message}`)).toEqual([]);
  });
});
