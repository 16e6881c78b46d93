/** One northbound route: method and path below `/api/{vnfmtype}/v1`, in OpenAPI path syntax. */
export interface RouteSpec {
  method: 'get' | 'post';
  path: string;
}

/** The lifecycle routes NSLCM calls (docs/nslcm-contract.md, "How NSLCM reaches the driver"). */
export const LIFECYCLE_ROUTES: readonly RouteSpec[] = [
  { method: 'post', path: '/{vnfmid}/vnfs' },
  { method: 'post', path: '/{vnfmid}/vnfs/{vnfInstanceId}/terminate' },
  { method: 'post', path: '/{vnfmid}/vnfs/{vnfInstanceId}/scale' },
  { method: 'post', path: '/{vnfmid}/vnfs/{vnfInstanceId}/heal' },
  { method: 'post', path: '/{vnfmid}/vnfs/{vnfInstanceId}/operate' },
  { method: 'get', path: '/{vnfmid}/vnfs/{vnfInstanceId}' },
  { method: 'get', path: '/{vnfmid}/jobs/{jobId}' },
];

/** The operator's listings of one VNFM's VNFs and jobs (src/api/operator-routes.ts). */
export const OPERATOR_ROUTES: readonly RouteSpec[] = [
  { method: 'get', path: '/{vnfmid}/vnfs' },
  { method: 'get', path: '/{vnfmid}/jobs' },
];

/** Service routes (index of links, health, OpenAPI document, docs page, standalone mode's received Notify messages and VES events, and its simulated VM failure). */
export const SERVICE_ROUTES: readonly RouteSpec[] = [
  { method: 'get', path: '' },
  { method: 'get', path: '/health' },
  { method: 'get', path: '/swagger.json' },
  { method: 'get', path: '/docs' },
  { method: 'get', path: '/standalone/notifications' },
  { method: 'get', path: '/standalone/ves-events' },
  { method: 'post', path: '/standalone/esc-simulator/kill-vm' },
];

/** Routes outside `/api/{vnfmtype}/v1`, by their full path: the index of links and the Prometheus metrics. */
export const ROOT_ROUTES: readonly RouteSpec[] = [
  { method: 'get', path: '/' },
  { method: 'get', path: '/metrics' },
];

/** Converts an OpenAPI path (`/{id}`) to an Express path (`/:id`). */
export function toExpressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}
