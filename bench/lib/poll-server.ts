/**
 * A server for bench/jobs-poll.ts, run in its own process (see child-server.ts):
 *   poll-server.ts driver <storePath> <logLevel> <logFile>
 *       the real service (startService) on the given store, with HTTP metrics (createMetrics(), as the entry
 *       point passes them) and the winston service logger at the given level, its JSON lines going to <logFile>
 *       (a file, or /dev/null) through the logger's winston transport, as the service writes them to stdout
 *   poll-server.ts express <bodyFile>              an Express hello-world route answering the body for every GET
 *   poll-server.ts node-http <bodyFile>            a bare node:http server answering the body for every GET
 * Both ceilings serialise the same JSON object on each request, as the driver does.
 * Listens on 127.0.0.1, port 0; prints READY <port>; stops when stdin ends.
 */
import 'reflect-metadata';
import { createWriteStream, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ServiceConfig } from '../../src/config/config-schema';
import { createLogger } from '../../src/logging/logger';
import { startService } from '../../src/main';
import { createMetrics } from '../../src/metrics';
import { announceReady } from './child-server';
import { startCpuProfileFromEnv } from './cpu-profile';

async function startDriver(storePath: string, logLevel: ServiceConfig['logLevel'], logFile: string): Promise<void> {
  const stopProfile = startCpuProfileFromEnv('jobs-poll-driver');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const log = createLogger({ level: logLevel, stream: logStream, defaultMeta: { service: 'esc-vnfm-driver' } });
  const service = await startService({
    config: { port: 0, host: '127.0.0.1', storePath, logLevel },
    log,
    metrics: createMetrics(),
  });
  announceReady(service.port, async () => {
    await service.stop();
    await stopProfile();
    await new Promise<void>((resolve) => logStream.end(() => resolve()));
  });
}

function listen(server: http.Server): void {
  server.listen(0, '127.0.0.1', () => {
    const stop = (): Promise<void> =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    announceReady((server.address() as AddressInfo).port, stop);
  });
}

function startExpress(body: unknown): void {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/{*path}', (_req, res) => {
    res.status(200).json(body);
  });
  listen(http.createServer(app));
}

function startNodeHttp(body: unknown): void {
  listen(
    http.createServer((_req, res) => {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    }),
  );
}

function main(): void {
  const [mode, arg, logLevel, logFile] = process.argv.slice(2);
  if (!arg) throw new Error('usage: poll-server.ts driver <storePath> <logLevel> <logFile> | express <bodyFile> | node-http <bodyFile>');
  if (mode === 'driver') {
    void startDriver(arg, (logLevel ?? 'info') as ServiceConfig['logLevel'], logFile ?? '/dev/null');
    return;
  }
  const body: unknown = JSON.parse(readFileSync(arg, 'utf8'));
  if (mode === 'express') startExpress(body);
  else if (mode === 'node-http') startNodeHttp(body);
  else throw new Error(`unknown mode ${mode}`);
}

main();
