import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Log } from '../logging/log';
import { VES_BATCH_PATH, VES_SINGLE_PATH } from '../ves/ves-collector-client';
import { vesRequestProblems } from '../ves/ves-event-checks';
import type { VesEventLog, VesHeaderHolder } from './standalone-store';

/** The local VES sink listens on loopback only. */
const SINK_HOST = '127.0.0.1';

/** The local VES sink running: `url` is what the driver posts to (its VES_URL). */
export interface RunningVesSink {
  url: string;
  stop(): Promise<void>;
}

/**
 * Standalone mode's stand-in for DCAE's VES collector, on 127.0.0.1 and a port of the system's choosing:
 * `POST /eventListener/v7` (`{event}`) and `POST /eventListener/v7/eventBatch` (`{eventList}`), each event checked as
 * a VES 7.2.1 collector checks it (src/ves/ves-event-checks.ts); 202 and kept when all are valid, else 400 naming
 * each bad field and nothing kept. No credentials are asked for.
 */
export async function startLocalVesSink(opts: { events: VesEventLog; log: Log; bodyLimitBytes: number }): Promise<RunningVesSink> {
  const log = opts.log.child({ component: 'ves-sink' });
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: opts.bodyLimitBytes }));
  const receive =
    (batch: boolean): express.RequestHandler =>
    async (req, res) => {
      const { events, problems } = vesRequestProblems(req.body, batch);
      if (problems.length) {
        log.warn('VES event refused by the local VES sink', { problems });
        res.status(400).json({ error: 'invalid VES event', details: problems.map(detailOf) });
        return;
      }
      await opts.events.addVesEvents(events as VesHeaderHolder[]);
      res.status(202).end();
    };
  app.post(VES_SINGLE_PATH, receive(false));
  app.post(VES_BATCH_PATH, receive(true));
  app.use((_req, res) => {
    res.status(404).json({ error: `the local VES sink serves POST ${VES_SINGLE_PATH} and ${VES_BATCH_PATH} only` });
  });
  app.use((err: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? 'the local VES sink failed' : err.message });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, SINK_HOST, () => resolve());
  });
  const url = `http://${SINK_HOST}:${(server.address() as AddressInfo).port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** `event.commonEventHeader.sequence must be an integer` → {field, reason}. */
function detailOf(problem: string): { field: string; reason: string } {
  const space = problem.indexOf(' ');
  return space < 0 ? { field: 'body', reason: problem } : { field: problem.slice(0, space), reason: problem.slice(space + 1) };
}
