import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import { getJson, startTestService, type TestService } from '../../support/http-service';
import { waitFor } from '../../support/waiting';

describe('request lines of the service', () => {
  let svc: TestService;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) =>
      lines.push(
        ...d
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      ),
    );
    svc = await startTestService(undefined, {}, createLogger({ level: 'debug', stream }));
  });

  afterAll(async () => {
    await svc.stop();
  });

  const requestLine = (path: string): Record<string, unknown> | undefined => lines.find((l) => l.message === 'request' && l.path === path);

  it('when the probes ask /health and /health?ready, then their request lines are at debug', async () => {
    const health = `/api/ciscovnfmdriver/v1/health`;
    await getJson(`${svc.url}${health}`);
    await getJson(`${svc.url}${health}?ready`);
    await waitFor(() => lines.filter((l) => l.path === health).length === 2);

    expect(lines.filter((l) => l.path === health).map((l) => l.level)).toEqual(['debug', 'debug']);
  });

  it("when a caller sends ONAP's tracing headers, then its request line is at info with its request id, invocation id and name", async () => {
    const path = '/api/ciscovnfmdriver/v1/vnfm-1/jobs';
    await getJson(`${svc.url}${path}`, { 'X-ONAP-RequestID': 'req-9', 'X-InvocationID': 'inv-9', 'X-ONAP-PartnerName': 'NSLCM' });
    await waitFor(() => requestLine(path) !== undefined);

    expect(requestLine(path)).toMatchObject({
      level: 'info',
      requestId: 'req-9',
      callerInvocationId: 'inv-9',
      partnerName: 'NSLCM',
      status: 200,
    });
  });

  it('when the service starts, then one line says where the API, the docs page and the metrics are', () => {
    const api = `${svc.url}/api/ciscovnfmdriver/v1`;
    expect(lines.find((l) => typeof l.message === 'string' && l.message.startsWith('API at '))).toMatchObject({
      message: `API at ${api}, docs at ${api}/docs, metrics at ${svc.url}/metrics`,
      api,
      docs: `${api}/docs`,
      metrics: `${svc.url}/metrics`,
    });
  });
});
