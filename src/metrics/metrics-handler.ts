import type { Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';

/**
 * Handler for `GET /metrics`: the registry in Prometheus text exposition format, with the
 * content type the registry declares (`text/plain; version=0.0.4; charset=utf-8`).
 */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req: Request, res: Response) => {
    const body = await registry.metrics();
    res.status(200).type(registry.contentType).send(body);
  };
}
