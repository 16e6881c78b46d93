import type { Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';

/**
 * Handler for `GET /metrics`: the registry in Prometheus text exposition format, with the
 * content type the registry declares (`text/plain; version=0.0.4; charset=utf-8`). Label values are masked
 * through `redact` (no secret reaches a label, whatever a label was made from).
 */
export function metricsHandler(registry: Registry, redact: (text: string) => string): RequestHandler {
  return async (_req: Request, res: Response) => {
    const body = redact(await registry.metrics());
    res.status(200).type(registry.contentType).send(body);
  };
}
