export { createMetrics, type Metrics } from './metrics-registry';
export { createHttpMetricsMiddleware } from './http-metrics-middleware';
export { metricsHandler } from './metrics-handler';
