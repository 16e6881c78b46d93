import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { lifecycleRouter } from '../../../src/api/lifecycle-routes';
import type { Accepted, LifecycleService } from '../../../src/lifecycle/lifecycle-service';
import { rawRequest } from '../../support/raw-http';
import { waitFor } from '../../support/waiting';

describe('lifecycleRouter', () => {
  const launched: string[] = [];
  const handedOver: Array<() => void> = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    const lifecycle = {
      terminate: (_caller: unknown, vnfInstanceId: string): Accepted => ({
        jobId: `job-of-${vnfInstanceId}`,
        vnfInstanceId,
        // Called on the answer's 'finish' and 'close' both; the service's launch starts the job once.
        launch: () => {
          if (!launched.includes(vnfInstanceId)) launched.push(vnfInstanceId);
        },
      }),
    } as unknown as LifecycleService;
    const app = express();
    app.use(express.json());
    app.use((_req, res, next) => {
      res.locals.requestId = 'req-1';
      next();
    });
    app.use(
      '/api/ciscovnfmdriver/v1',
      lifecycleRouter(lifecycle, { maxDepth: 32, maxArrayLength: 1000 }, (task) => handedOver.push(task)),
    );
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('when an operation is accepted with launchJobs given, then it is answered and its job work starts only in the turn handed over', async () => {
    const answer = await rawRequest(port, 'POST', '/api/ciscovnfmdriver/v1/vnfm-1/vnfs/vnf-1/terminate', {
      body: JSON.stringify({ terminationType: 'FORCEFUL' }),
      agent: false,
    });

    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ jobId: 'job-of-vnf-1' });
    await waitFor(() => handedOver.length > 0);
    expect(launched).toEqual([]);
    for (const task of handedOver.splice(0)) task();
    expect(launched).toEqual(['vnf-1']);
  });
});
