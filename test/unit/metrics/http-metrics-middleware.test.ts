import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpMetricsMiddleware, createMetrics, metricsHandler, type Metrics } from '../../../src/metrics';

function buildApp(metrics: Metrics): express.Express {
  const app = express();
  app.use(createHttpMetricsMiddleware(metrics));
  const api = express.Router();
  api.get('/jobs/:jobId', (req, res) => {
    res.json({ jobId: req.params.jobId });
  });
  api.post('/vnfs/:id/terminate', async () => {
    throw new Error('boom');
  });
  api.get('/', (_req, res) => {
    res.json({});
  });
  app.use('/api/ciscovnfmdriver/v1', api);
  app.get(
    '/metrics',
    metricsHandler(metrics.registry, (text) => text),
  );
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: err.message });
  });
  return app;
}

describe('createHttpMetricsMiddleware', () => {
  let server: Server;
  let base: string;
  let metrics: Metrics;

  beforeEach(async () => {
    metrics = createMetrics({ collectDefaults: false });
    server = buildApp(metrics).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function counterValue(labels: Record<string, string>): Promise<number> {
    const data = await metrics.httpRequests.get();
    const found = data.values.find((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val));
    return found?.value ?? 0;
  }

  it('when two different job ids are polled, then both count under one route pattern', async () => {
    await fetch(`${base}/api/ciscovnfmdriver/v1/jobs/1`);
    await fetch(`${base}/api/ciscovnfmdriver/v1/jobs/2`);

    expect(await counterValue({ method: 'GET', route: '/api/ciscovnfmdriver/v1/jobs/:jobId', status: '200' })).toBe(2);
    expect((await metrics.httpRequests.get()).values).toHaveLength(1);
  });

  it('when a handler throws, then the 500 is counted under its route pattern', async () => {
    const res = await fetch(`${base}/api/ciscovnfmdriver/v1/vnfs/abc/terminate`, { method: 'POST' });

    expect(res.status).toBe(500);
    expect(await counterValue({ method: 'POST', status: '500' })).toBe(1);
    const routes = (await metrics.httpRequests.get()).values.map((v) => v.labels.route);
    expect(routes).toEqual([expect.stringMatching(/\/vnfs\/:id\/terminate$/)]);
  });

  it('when no route matches, then the raw URL is not used as a label', async () => {
    await fetch(`${base}/no/such/path/123`);
    await fetch(`${base}/no/such/path/456`);

    expect(await counterValue({ method: 'GET', route: 'unmatched', status: '404' })).toBe(2);
  });

  it('when the router root is requested, then the route is the mount path', async () => {
    await fetch(`${base}/api/ciscovnfmdriver/v1/`);

    expect(await counterValue({ route: '/api/ciscovnfmdriver/v1', status: '200' })).toBe(1);
  });

  it('when /metrics is scraped, then it answers Prometheus text with the request counted', async () => {
    await fetch(`${base}/api/ciscovnfmdriver/v1/jobs/7`);
    const res = await fetch(`${base}/metrics`);
    const text = await res.text();

    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    expect(text).toContain('http_requests_total{method="GET",route="/api/ciscovnfmdriver/v1/jobs/:jobId",status="200"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/ciscovnfmdriver\/v1\/jobs\/:jobId"\} 1/);
  });
});
