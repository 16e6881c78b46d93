import { Router } from 'express';

/** Options of {@link createIndexRouter}. */
export interface IndexRouterOptions {
  vnfmType: string;
  /** The service's version (package.json). */
  version: string;
  /** Whether `GET /metrics` is served. */
  metrics: boolean;
}

/** The links of the index: where the API, its docs page, its OpenAPI document, health and metrics are. */
export interface IndexLinks {
  api: string;
  docs: string;
  openapi: string;
  health: string;
  ready: string;
  metrics?: string;
}

/** What `GET /` and `GET /api/{vnfmtype}/v1` answer: a first stop for a person or a script. */
export function indexBody(opts: IndexRouterOptions): { service: string; version: string; vnfmType: string; links: IndexLinks } {
  const api = `/api/${opts.vnfmType}/v1`;
  const links: IndexLinks = {
    api,
    docs: `${api}/docs`,
    openapi: `${api}/swagger.json`,
    health: `${api}/health`,
    ready: `${api}/health?ready`,
  };
  if (opts.metrics) links.metrics = '/metrics';
  return { service: 'esc-vnfm-driver', version: opts.version, vnfmType: opts.vnfmType, links };
}

/**
 * Answers `GET /` and `GET /api/{vnfmtype}/v1` (the configured type only; another type falls through to the
 * API's 404) with the JSON index of links.
 */
export function createIndexRouter(opts: IndexRouterOptions): Router {
  const body = indexBody(opts);
  const paths = new Set(['/', body.links.api, `${body.links.api}/`]);
  const router = Router();
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !paths.has(req.path)) {
      next();
      return;
    }
    res.status(200).json(body);
  });
  return router;
}
