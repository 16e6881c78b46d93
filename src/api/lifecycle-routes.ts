import type { Schedule } from '../async/turn-scheduler';
import { Router, type Request, type Response } from 'express';
import type { Accepted, Caller, LifecycleService } from '../lifecycle/lifecycle-service';
import { toInstantiateRequest } from './dto/instantiate-dto';
import { toHealRequest, toOperateRequest, toScaleRequest, toTerminateRequest } from './dto/operation-dtos';
import { HttpError } from './http-errors';
import { requireId } from './identifiers';
import type { JsonLimits } from './json-bounds';
import { JSON_UTF8 } from './request-listener';
import { contextOf } from './request-context';
import { toExpressPath } from './route-table';

type Params = Record<string, string>;

function callerOf(req: Request, res: Response): Caller {
  return { vnfmId: (req.params as Params).vnfmid, requestId: contextOf(res).requestId };
}

/**
 * Sends 201 and starts the background work only once the answer has gone out: NSLCM finds the VNF of the grant
 * request by the id in that answer (docs/nslcm-contract.md, "Grant request"). With `launchJobs`, the work starts in
 * its turn there.
 */
function answerAccepted(res: Response, accepted: Accepted, withVnfId: boolean, launchJobs?: Schedule): void {
  const launch = launchJobs ? (): void => launchJobs(() => accepted.launch()) : (): void => accepted.launch();
  res.once('finish', launch);
  res.once('close', launch);
  const body = withVnfId ? { jobId: accepted.jobId, vnfInstanceId: accepted.vnfInstanceId } : { jobId: accepted.jobId };
  res.status(201).json(body);
}

/** Parses `?responseId=N` (absent → 0). */
export function parseResponseId(raw: unknown): number {
  if (raw === undefined || raw === '') return 0;
  if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return Number(raw);
  throw new HttpError(400, 'invalid request: responseId', [{ field: 'responseId', reason: 'responseId must be a non-negative integer' }]);
}

/** The path parameters that are identifiers, each checked against ID_PATTERN before any route runs. */
const ID_PARAMS = ['vnfmid', 'vnfInstanceId', 'jobId'] as const;

/**
 * The seven northbound lifecycle routes, mounted below `/api/{vnfmtype}/v1`. Jobs and VNFs
 * are answered only under the vnfmid they were created for (another → 404).
 */
export function lifecycleRouter(lifecycle: LifecycleService, limits: JsonLimits, launchJobs?: Schedule): Router {
  const r = Router({ mergeParams: true });
  for (const name of ID_PARAMS) {
    r.param(name, (_req, _res, next, value) => {
      requireId(name, value);
      next();
    });
  }
  const vnf = (req: Request): string => (req.params as Params).vnfInstanceId;
  r.post(toExpressPath('/{vnfmid}/vnfs'), async (req, res) => {
    answerAccepted(res, await lifecycle.instantiate(callerOf(req, res), toInstantiateRequest(req.body, limits)), true, launchJobs);
  });
  r.post(toExpressPath('/{vnfmid}/vnfs/{vnfInstanceId}/terminate'), async (req, res) => {
    answerAccepted(res, await lifecycle.terminate(callerOf(req, res), vnf(req), toTerminateRequest(req.body)), false, launchJobs);
  });
  r.post(toExpressPath('/{vnfmid}/vnfs/{vnfInstanceId}/scale'), async (req, res) => {
    answerAccepted(res, await lifecycle.scale(callerOf(req, res), vnf(req), toScaleRequest(req.body)), false, launchJobs);
  });
  r.post(toExpressPath('/{vnfmid}/vnfs/{vnfInstanceId}/heal'), async (req, res) => {
    answerAccepted(res, await lifecycle.heal(callerOf(req, res), vnf(req), toHealRequest(req.body)), false, launchJobs);
  });
  r.post(toExpressPath('/{vnfmid}/vnfs/{vnfInstanceId}/operate'), async (req, res) => {
    answerAccepted(res, await lifecycle.operate(callerOf(req, res), vnf(req), toOperateRequest(req.body)), false, launchJobs);
  });
  r.get(toExpressPath('/{vnfmid}/vnfs/{vnfInstanceId}'), async (req, res) => {
    const vnfInfo = await lifecycle.query(callerOf(req, res), vnf(req), contextOf(res).log);
    res.status(200).json({ vnfInfo });
  });
  r.get(toExpressPath('/{vnfmid}/jobs/{jobId}'), async (req, res) => {
    const after = parseResponseId(req.query.responseId);
    const params = req.params as Params;
    // The store's JSON text, the same bytes the request listener answers plain polls with; another VNFM's job is not found.
    const json = await lifecycle.jobDescriptorJson(params.jobId, after, params.vnfmid);
    res.status(200).type(JSON_UTF8).send(json);
  });
  return r;
}
