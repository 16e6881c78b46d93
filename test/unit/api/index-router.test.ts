import type { AddressInfo } from 'node:net';
import express from 'express';
import { createIndexRouter, indexBody } from '../../../src/api/index-router';

describe('the index of links', () => {
  it('when metrics are off, then the index has no metrics link; when on, it points at /metrics', () => {
    const off = indexBody({ vnfmType: 'ciscovnfmdriver', version: '1.2.3', metrics: false });
    const on = indexBody({ vnfmType: 'ciscovnfmdriver', version: '1.2.3', metrics: true });
    expect(off).toEqual({
      service: 'esc-vnfm-driver',
      version: '1.2.3',
      vnfmType: 'ciscovnfmdriver',
      links: {
        api: '/api/ciscovnfmdriver/v1',
        docs: '/api/ciscovnfmdriver/v1/docs',
        openapi: '/api/ciscovnfmdriver/v1/swagger.json',
        health: '/api/ciscovnfmdriver/v1/health',
        ready: '/api/ciscovnfmdriver/v1/health?ready',
      },
    });
    expect(on.links.metrics).toBe('/metrics');
  });

  it('when the router serves, then / and the API base answer it; other paths, types and methods pass on', async () => {
    const app = express();
    app.use(createIndexRouter({ vnfmType: 'myvnfm', version: '0.0.1', metrics: true }));
    app.use((_req, res) => {
      res.status(418).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const status = async (p: string, method = 'GET'): Promise<number> => (await fetch(`${url}${p}`, { method })).status;
      expect(await status('/')).toBe(200);
      expect(await status('/api/myvnfm/v1')).toBe(200);
      expect(await status('/api/myvnfm/v1/')).toBe(200);
      expect(await status('/api/other/v1')).toBe(418);
      expect(await status('/api/myvnfm/v1/health')).toBe(418);
      expect(await status('/', 'POST')).toBe(418);
      expect(((await (await fetch(`${url}/`)).json()) as { version: string }).version).toBe('0.0.1');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
