import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';

/** The two HTTP metrics the middleware feeds (a subset of `Metrics`). */
export interface HttpMetrics {
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
}

/** Route label for requests no route matched (404s, static files): one value, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Express middleware recording `http_requests_total` and `http_request_duration_seconds`.
 * Mount it first, on the app. The `route` label is the matched route pattern joined with the
 * router's mount path (`/api/x/v1/vnfs/:vnfInstanceId/terminate`), never the raw URL, so the
 * number of label values stays bounded; requests matching no route are labelled {@link UNMATCHED_ROUTE}.
 */
export function createHttpMetricsMiddleware(metrics: HttpMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const route = routePattern(req);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

/** The route pattern of a request once routed: mount path + route path, or {@link UNMATCHED_ROUTE}. */
export function routePattern(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route === undefined || route.path === undefined) return UNMATCHED_ROUTE;
  const path = Array.isArray(route.path) ? route.path.map(pathText).join('|') : pathText(route.path);
  return joinPaths(req.baseUrl ?? '', path);
}

/** An Express route path: a string or a regular expression. */
function pathText(path: unknown): string {
  return typeof path === 'string' ? path : path instanceof RegExp ? path.toString() : '?';
}

function joinPaths(base: string, path: string): string {
  if (base === '' || base === '/') return path;
  if (path === '/' || path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
