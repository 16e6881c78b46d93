export { createMetrics, type Metrics, type MetricsOptions } from './metrics-registry';
export { createHttpMetricsMiddleware, routePattern, UNMATCHED_ROUTE, type HttpMetrics } from './http-metrics-middleware';
export { metricsHandler } from './metrics-handler';
