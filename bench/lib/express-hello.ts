/**
 * The Express hello-world route bench/jobs-poll.ts compares the driver with, run in its own process (see
 * child-server.ts): `express-hello.ts <bodyFile>` answers every GET with the JSON object in <bodyFile>, serialised
 * on each request as the driver does. Listens on 127.0.0.1, port 0; prints READY <port>; stops when stdin ends.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announceReady } from './child-server';

const body: unknown = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/{*path}', (_req, res) => {
  res.status(200).json(body);
});
const server = http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  announceReady(
    (server.address() as AddressInfo).port,
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
});
