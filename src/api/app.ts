import express, { Router, type Express, type RequestHandler } from 'express';
import type { DriverStore } from '../jobs/job-store';
import type { LifecycleService } from '../lifecycle/lifecycle-service';
import type { Log } from '../logging/log';
import { createHttpMetricsMiddleware, metricsHandler, type Metrics } from '../metrics';
import { createDocsRouter } from './docs-router';
import { errorHandler, HttpError, notFoundHandler } from './http-errors';
import { checkJsonBounds, type JsonLimits } from './json-bounds';
import { createIndexRouter } from './index-router';
import { settledWithin } from '../async/settled-within';
import type { Schedule } from '../async/turn-scheduler';
import { lifecycleRouter } from './lifecycle-routes';
import { operatorRouter } from './operator-routes';
import { loadOpenApiDocument } from './openapi-document';
import { requestContext } from './request-context';
import { SERVICE_VERSION } from './service-version';

/** What the northbound app needs. */
export interface AppDeps {
  vnfmType: string;
  /** Largest accepted JSON body, bytes (larger → 413). */
  bodyLimitBytes: number;
  /** How deep and how long a JSON body may be (JSON_MAX_DEPTH, JSON_MAX_ARRAY_LENGTH), checked before any transformation. */
  jsonLimits: JsonLimits;
  lifecycle: LifecycleService;
  store: Pick<DriverStore, 'ping' | 'listJobs' | 'listVnfs'>;
  log: Log;
  /** More routers mounted below `/api/{vnfmtype}/v1` before the lifecycle routes (e.g. API docs). */
  extraRouters?: Router[];
  /** When given: HTTP metrics for every request and `GET /metrics` (Prometheus text). */
  metrics?: Metrics;
  /**
   * Readiness for `GET /health?ready`: false → 503 `{"status":"starting"}` (e.g. not yet registered
   * in MSB). Without it the service is ready as soon as the store answers.
   */
  isReady?: () => boolean;
  /**
   * Whether a store that does not answer also fails liveness (`GET /health`); readiness (`?ready`) always follows
   * it. True (the default) for the embedded store, whose failure is this process's own; false for a database the
   * replicas share, whose outage restarting every replica would not mend (they only stop taking requests).
   */
  storeInLiveness?: boolean;
  /** A store ping slower than this counts as a store that does not answer; default {@link STORE_PING_TIMEOUT_MS}. */
  storePingTimeoutMs?: number;
  /** Masks secrets in every error answer and in the metrics text (the service's secret registry); default: as given. */
  redact?: (text: string) => string;
  /**
   * Where the job work of an accepted operation is started once its answer has gone out: by default at once; given
   * the service's turns (src/async/turn-scheduler.ts), as work in its turn, so that the requests waiting behind
   * this one are answered before it.
   */
  launchJobs?: Schedule;
}

/** Answers 404 JSON unless the path's vnfm type is the configured one. */
function requireVnfmType(vnfmType: string): RequestHandler {
  return (req, _res, next) => {
    const given = (req.params as Record<string, string>).vnfmtype;
    if (given !== vnfmType) {
      throw new HttpError(404, `unknown vnfm type "${given}"; this driver serves "${vnfmType}"`, [
        { field: 'vnfmtype', reason: `must be ${vnfmType}` },
      ]);
    }
    next();
  };
}

/** Below the probes' own timeout (3 s in the Kubernetes manifests), so that a hung database answers 503, not nothing. */
export const STORE_PING_TIMEOUT_MS = 2000;

/**
 * Health (GET /health): 200 `{"status":"active"}` when the store answers (or, with `storeInLiveness` off, whenever
 * the process answers), 503 otherwise. With `?ready`: 503 as well while the store does not answer within the ping
 * timeout or `isReady` says no (not yet registered in MSB).
 */
function serviceRouter(deps: AppDeps): Router {
  const r = Router({ mergeParams: true });
  const storeInLiveness = deps.storeInLiveness ?? true;
  const pingTimeoutMs = deps.storePingTimeoutMs ?? STORE_PING_TIMEOUT_MS;
  r.get('/health', async (req, res) => {
    const ready = req.query.ready !== undefined;
    if (ready || storeInLiveness) {
      const problem = await storeProblem(deps.store, pingTimeoutMs);
      if (problem !== undefined) {
        deps.log.warn('health check failed', { error: problem, probe: ready ? 'readiness' : 'liveness' });
        res.status(503).json({ status: 'inactive', error: 'store unavailable' });
        return;
      }
    }
    if (ready && deps.isReady && !deps.isReady()) {
      res.status(503).json({ status: 'starting', error: 'not ready: not yet registered in MSB' });
      return;
    }
    res.status(200).json({ status: 'active' });
  });
  r.get('/swagger.json', (_req, res) => {
    res.status(200).json(loadOpenApiDocument());
  });
  return r;
}

/** Why the store's ping failed (its error, or no answer within `timeoutMs`), or undefined when it answered. */
async function storeProblem(store: Pick<DriverStore, 'ping'>, timeoutMs: number): Promise<string | undefined> {
  let problem: string | undefined;
  const ping = store.ping().catch((err: unknown) => {
    problem = err instanceof Error ? err.message : String(err);
  });
  if (!(await settledWithin(ping, timeoutMs))) return `no answer to the store ping within ${timeoutMs} ms`;
  return problem;
}

/** Builds the Express app of the northbound API (no listen): `/api/{vnfmtype}/v1/...`, JSON only. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.metrics) app.use(createHttpMetricsMiddleware(deps.metrics));
  const redact = deps.redact ?? ((text: string) => text);
  if (deps.metrics) app.get('/metrics', metricsHandler(deps.metrics.registry, redact));
  app.use(requestContext(deps.log));
  app.use(createIndexRouter({ vnfmType: deps.vnfmType, version: SERVICE_VERSION, metrics: deps.metrics !== undefined }));
  const api = Router({ mergeParams: true });
  api.use(requireVnfmType(deps.vnfmType));
  api.use(express.json({ limit: deps.bodyLimitBytes }));
  api.use((req, _res, next) => {
    if (req.body !== undefined) checkJsonBounds(req.body, deps.jsonLimits, '');
    next();
  });
  api.use(serviceRouter(deps));
  api.use(createDocsRouter({ specUrl: `/api/${deps.vnfmType}/v1/swagger.json`, title: 'Cisco ESC VNFM driver API' }));
  for (const extra of deps.extraRouters ?? []) api.use(extra);
  api.use(operatorRouter(deps.store));
  api.use(lifecycleRouter(deps.lifecycle, deps.jsonLimits, deps.launchJobs));
  app.use('/api/:vnfmtype/v1', api);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log, redact));
  return app;
}
