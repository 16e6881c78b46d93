import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { utils } from 'ssh2';
import type { Log } from '../../../src/logging/log';
import { createLogger } from '../../../src/logging/logger';
import { SecretRegistry } from '../../../src/logging/secret-registry';
import { createMetrics } from '../../../src/metrics';
import { knownHostsName } from '../../../src/netconf/known-hosts';
import { describeHostKey } from '../../../src/simulator/host-key';
import { buildVimInfo } from '../../support/nslcm-stub/nslcm-builders';
import { waitFor } from '../../support/http-service';
import { buildFwLbInstantiate, startEscRig, VNFM_ID, type EscRig } from './esc-service-harness';

/** Passwords nobody writes by chance, one per place a secret is configured. */
const MSB_USER = 'msbadmin';
const MSB_PW = 'Pl4nted-MSB-s3cret';
const ESC_PW = 'Pl4nted-ESC-pw';
const WRONG_ESC_PW = 'Pl4nted-ESC-wrong-pw';
const HOST_KEY_ESC_PW = 'Pl4nted-ESC-hostkey-pw';
const VIM_PW = 'Pl4nted-VIM-pw';
const PLANTED = [MSB_PW, ESC_PW, WRONG_ESC_PW, HOST_KEY_ESC_PW, VIM_PW];
/** Every form a planted secret could take in a text: as is, percent-encoded, and the MSB login as basic authentication sends it. */
const FORMS = [...new Set([...PLANTED, ...PLANTED.map(encodeURIComponent), Buffer.from(`${MSB_USER}:${MSB_PW}`).toString('base64')])];

const WRONG_PW_VNFM = 'vnfm-wrong-pw';
const HOST_KEY_VNFM = 'vnfm-changed-key';
const BAD_URL_VNFM = 'vnfm-bad-url';

function captured(format: 'json' | 'text', secrets: SecretRegistry, lines: string[]): Log {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return createLogger({ level: 'debug', stream, format, secrets, defaultMeta: { service: 'esc-vnfm-driver' } });
}

/** Every line goes to both loggers: JSON and text lines are both checked. */
function both(a: Log, b: Log): Log {
  return {
    debug: (m, meta) => (a.debug(m, meta), b.debug(m, meta)),
    info: (m, meta) => (a.info(m, meta), b.info(m, meta)),
    warn: (m, meta) => (a.warn(m, meta), b.warn(m, meta)),
    error: (m, meta) => (a.error(m, meta), b.error(m, meta)),
    child: (meta) => both(a.child(meta), b.child(meta)),
  };
}

/** Texts found holding a planted secret, each with the first secret form it holds. */
function leaks(where: string, texts: string[]): string[] {
  return texts.flatMap((text) => FORMS.filter((f) => text.includes(f)).map((f) => `${where}: "${f}" in ${text.slice(0, 300)}`));
}

describe('secrets planted in every setting and every VNFM and VIM record', () => {
  let rig: EscRig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('when a whole lifecycle runs at debug level and logins fail (wrong ESC password, changed host key), then no log line, answer, metric, Notify body or stored text holds a secret, and nothing sent to NSLCM names a local path', async () => {
    const secrets = new SecretRegistry();
    const jsonLines: string[] = [];
    const textLines: string[] = [];
    const log = both(captured('json', secrets, jsonLines), captured('text', secrets, textLines));
    rig = await startEscRig({
      config: { logLevel: 'debug' },
      log,
      secrets,
      metrics: createMetrics({ collectDefaults: false }),
      escUser: { username: 'admin', password: ESC_PW },
      msbUrl: (url) => url.replace('http://', `http://${MSB_USER}:${MSB_PW}@`),
    });
    const { stub, sim, svc } = rig;
    const escUrl = `ssh://admin:${ESC_PW}@${sim.host}:${sim.port}`;
    const vnfm = stub.vnfms.get(VNFM_ID)!;
    stub.vnfms.set(VNFM_ID, { ...vnfm, url: escUrl });
    stub.vnfms.set(WRONG_PW_VNFM, { ...vnfm, vnfmId: WRONG_PW_VNFM, url: escUrl.replace(ESC_PW, WRONG_ESC_PW), password: WRONG_ESC_PW });
    stub.vnfms.set(HOST_KEY_VNFM, { ...vnfm, vnfmId: HOST_KEY_VNFM, url: `ssh://${sim.host}:${sim.port}`, password: HOST_KEY_ESC_PW });
    stub.vnfms.set(BAD_URL_VNFM, { ...vnfm, vnfmId: BAD_URL_VNFM, url: `ssh://admin@${sim.host}:${ESC_PW}` });
    stub.vims.set(
      'CloudOwner/RegionOne',
      buildVimInfo('CloudOwner', 'RegionOne', { password: VIM_PW, url: `http://vim:${VIM_PW}@vim:5000/v3` }),
    );

    const answers: string[] = [];
    type Answer = { jobId?: unknown; vnfInstanceId?: unknown; responseDescriptor?: { responseId: string; status: string } };
    const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; json: Answer }> => {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      answers.push(`${res.status} ${text}`);
      return { status: res.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Answer };
    };
    const api = `${svc.url}/api/${svc.config.vnfmType}/v1`;
    const run = async (
      vnfmId: string,
      pathAndOp: string,
      body: unknown,
    ): Promise<{ jobId: string; vnfInstanceId?: string; status: string }> => {
      const posted = await call('POST', `${api}/${vnfmId}${pathAndOp}`, body);
      const { jobId, vnfInstanceId } = posted.json;
      if (typeof jobId !== 'string') throw new Error(`POST ${pathAndOp} answered ${posted.status}`);
      const jobUrl = `${api}/${vnfmId}/jobs/${jobId}`;
      let responseId = '0';
      let status = '';
      await waitFor(async () => {
        const polled = await call('GET', `${jobUrl}?responseId=${responseId}`);
        const d = polled.json.responseDescriptor;
        if (d) [responseId, status] = [d.responseId, d.status];
        return status === 'finished' || status === 'error';
      }, 30_000);
      await call('GET', jobUrl);
      return { jobId, vnfInstanceId: typeof vnfInstanceId === 'string' ? vnfInstanceId : undefined, status };
    };

    const inst = await run(VNFM_ID, '/vnfs', buildFwLbInstantiate());
    expect(inst.status).toBe('finished');
    const vnfUrl = `/vnfs/${inst.vnfInstanceId!}`;
    expect(
      (await run(VNFM_ID, `${vnfUrl}/scale`, { type: 'SCALE_OUT', aspectId: 'vdu_fw', numberOfSteps: '1', additionalParam: {} })).status,
    ).toBe('finished');
    const target = sim.snapshot().deployments[0].vms.find((v) => v.vmGroup.includes('fw'))!;
    const heal = { action: 'vmReset', affectedvm: { vmid: target.vmId, vduid: 'vdu_fw', vmname: target.name } };
    expect((await run(VNFM_ID, `${vnfUrl}/heal`, heal)).status).toBe('finished');
    await call('GET', `${api}/${VNFM_ID}${vnfUrl}`);
    const term = { terminationType: 'graceful', gracefulTerminationTimeout: '5' };
    expect((await run(VNFM_ID, `${vnfUrl}/terminate`, term)).status).toBe('finished');

    // A VNFM record with a wrong ESC password: ESC refuses the login.
    const wrong = await run(WRONG_PW_VNFM, '/vnfs', buildFwLbInstantiate());
    expect(wrong.status).toBe('error');
    // ESC's host key changed since it was pinned: the connection is refused before any login.
    const otherKey = describeHostKey(utils.generateKeyPairSync('ed25519').private).publicKey;
    fs.writeFileSync(path.join(rig.dir, 'known_hosts'), `${knownHostsName(sim.host, sim.port)} ${otherKey}\n`);
    const changed = await run(HOST_KEY_VNFM, '/vnfs', buildFwLbInstantiate());
    expect(changed.status).toBe('error');
    // A VNFM record whose url has its password where the port goes: the url cannot be read, and the error names it.
    const badUrl = await run(BAD_URL_VNFM, '/vnfs', buildFwLbInstantiate());
    expect(badUrl.status).toBe('error');
    // A client sending a secret where an identifier goes gets it back in the error answer (and the request line).
    await call('POST', `${api}/${VNFM_ID}/vnfs`, { vnfInstanceName: ESC_PW });
    await call('GET', `${api}/${VNFM_ID}/jobs/${MSB_PW}`);
    for (const vnfmId of [VNFM_ID, WRONG_PW_VNFM, HOST_KEY_VNFM, BAD_URL_VNFM]) {
      await call('GET', `${api}/${vnfmId}/vnfs`);
      await call('GET', `${api}/${vnfmId}/jobs`);
    }
    const metrics = await call('GET', `${svc.url}/metrics`);
    // START and RESULT of the four operations, START of the three that failed (no VNFC changed: no RESULT).
    await waitFor(() => stub.acceptedNotifies().length >= 11, 10_000);

    const notifies = stub.calls.filter((c) => c.path.endsWith('/Notify')).map((c) => JSON.stringify(c.body));
    const db = new Database(path.join(rig.dir, 'driver.db'), { readonly: true, fileMustExist: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    const stored = tables.flatMap(({ name }) =>
      db
        .prepare(`SELECT * FROM "${name}"`)
        .all()
        .map((row) => `${name} ${JSON.stringify(row)}`),
    );
    const jobTexts = db.prepare('SELECT status_description FROM job_history').pluck().all() as string[];
    db.close();

    // The failures are the ones meant, and every kind of text was seen.
    expect(jobTexts.some((t) => /SSH authentication failed/.test(t))).toBe(true);
    expect(jobTexts.some((t) => /host key .* does not match/.test(t))).toBe(true);
    expect(jobTexts.some((t) => t.includes(`cannot read ESC address from VNFM url "ssh://${sim.host}:`))).toBe(true);
    expect(jsonLines.length).toBeGreaterThan(50);
    expect(textLines).toHaveLength(jsonLines.length);
    expect(jsonLines.some((l) => l.includes('"level":"debug"'))).toBe(true);
    expect(metrics.status).toBe(200);
    expect(stored.some((row) => row.startsWith('notify_outbox '))).toBe(true);
    expect(notifies.length).toBeGreaterThanOrEqual(11);

    expect([
      ...leaks('json log', jsonLines),
      ...leaks('text log', textLines),
      ...leaks('answer', answers),
      ...leaks('Notify', notifies),
      ...leaks('store', stored),
    ]).toEqual([]);
    const localPaths = [rig.dir, os.tmpdir(), os.homedir(), process.cwd()];
    const toNslcm = [...notifies, ...jobTexts];
    expect(toNslcm.filter((text) => localPaths.some((p) => text.includes(p)) || /known_hosts/.test(text))).toEqual([]);
  }, 120_000);
});
