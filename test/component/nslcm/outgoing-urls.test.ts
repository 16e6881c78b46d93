import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnsafeUrlError } from '../../../src/http/url-path';
import { buildRegistration, MsbClient } from '../../../src/msb/msb-client';
import { NslcmClient } from '../../../src/nslcm/nslcm-client';
import { buildNotifyBody } from './notify-fixtures';

/** A server below `/base` recording the raw request target of every request; answers 404 `{}`. */
async function startRecorder(): Promise<{ base: string; targets: string[]; stop(): Promise<void> }> {
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    targets.push(req.url ?? '');
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}/base`, targets, stop: () => new Promise((r) => server.close(() => r())) };
}

const HOSTILE = 'a/../..?x#y%2e';
const ENCODED = 'a%2F..%2F..%3Fx%23y%252e';

describe('URLs of outgoing calls', () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let nslcm: NslcmClient;
  let msb: MsbClient;
  beforeEach(async () => {
    recorder = await startRecorder();
    nslcm = new NslcmClient({ baseUrl: recorder.base, timeoutMs: 500, retry: { maxAttempts: 1 }, partnerName: 'ciscovnfmdriver' });
    msb = new MsbClient(recorder.base, 500, 'ciscovnfmdriver');
  });
  afterEach(() => recorder.stop());

  const calls: [string, (c: { nslcm: NslcmClient; msb: MsbClient }, id: string) => Promise<unknown>, string][] = [
    ['getVnfmInfo', (c, id) => c.nslcm.getVnfmInfo(id), '/base/api/nslcm/v1/vnfms/{id}'],
    ['getVimInfo', (c, id) => c.nslcm.getVimInfo(id, id), '/base/api/nslcm/v1/vims/{id}/{id}'],
    ['getVnfPackage', (c, id) => c.nslcm.getVnfPackage(id), '/base/api/catalog/v1/vnfpackages/{id}'],
    ['notify', (c, id) => c.nslcm.notify(id, id, buildNotifyBody(), { noRetry: true }), '/base/api/nslcm/v1/ns/{id}/vnfs/{id}/Notify'],
    [
      'MSB lookup',
      (c, id) => c.msb.lookup(id, { ip: '127.0.0.1', port: '1', ttl: 0 }),
      '/base/api/microservices/v1/services/{id}/version/v1',
    ],
    [
      'MSB deregister',
      (c, id) => c.msb.deregister(id, { ip: id, port: id, ttl: 0 }),
      '/base/api/microservices/v1/services/{id}/version/v1/nodes/{id}/{id}',
    ],
  ];

  it.each(calls)(
    'when %s is given an id with slashes, dots and reserved characters, then it stays one encoded segment below the base',
    async (_n, call, expected) => {
      await call({ nslcm, msb }, HOSTILE).catch(() => undefined);
      expect(recorder.targets).toEqual([expected.replaceAll('{id}', ENCODED)]);
    },
  );

  it.each(calls)('when %s is given "..", then it is refused before anything is sent', async (_n, call) => {
    await expect(call({ nslcm, msb }, '..')).rejects.toThrow(UnsafeUrlError);
    expect(recorder.targets).toEqual([]);
  });

  it('when grantVnf and MSB register are called, then they go to their fixed paths below the base', async () => {
    await nslcm.grantVnf({} as never).catch(() => undefined);
    await msb.register(buildRegistration('svc', '127.0.0.1', 1, 0)).catch(() => undefined);
    expect(recorder.targets).toEqual(['/base/api/nslcm/v1/ns/grantvnf', '/base/api/microservices/v1/services']);
  });
});
