import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Schedule } from '../async/turn-scheduler';
import type { Log } from '../logging/log';
import type { HttpMetrics } from '../metrics/http-metrics-middleware';
import { matchPollPath, plainResponseId } from './job-poll-path';
import { echoesTransactionId, logRequestLine, REQUEST_ID_HEADER, requestIdOf, TRANSACTION_ID_HEADER } from './request-context';

/**
 * Where polls are answered from: the job descriptor's JSON text, or undefined (or a rejection) for a job that is
 * unknown or not of `vnfmId` (the vnfmid in the path).
 */
export interface PollAnswers {
  jobDescriptorJson(jobId: string, afterResponseId: number, vnfmId: string): Promise<string | undefined>;
}

/** Records each poll the listener answers (method and seconds taken). */
export interface PollMetrics {
  polled(method: 'GET' | 'HEAD', seconds: number): void;
}

/** What the request listener needs besides the Express app. */
export interface RequestListenerDeps {
  vnfmType: string;
  jobs: PollAnswers;
  log: Log;
  metrics?: PollMetrics;
  /**
   * Where a POST (an operation request) is handed to the app: by default at once; given the service's turns
   * (src/async/turn-scheduler.ts), in its turn. A burst of operation requests (hundreds of NSLCM workflows
   * starting at once) is then parsed, validated, recorded and answered one per turn instead of back to back in
   * one read, and the job-status polls read in between are not held behind all of them. A POST whose connection
   * closed while it waited is dropped without reaching the app: nobody would learn its jobId.
   */
  admitPost?: Schedule;
}

/** Content-Type of the API's JSON answers, as Express sets it. */
export const JSON_UTF8 = 'application/json; charset=utf-8';

/** The route label under which answered polls are counted, the same as the Express route's. */
export function pollRoute(vnfmType: string): string {
  return `/api/${vnfmType}/v1/:vnfmid/jobs/:jobId`;
}

/** {@link PollMetrics} feeding `http_requests_total` (status 200) and `http_request_duration_seconds`. */
export function httpPollMetrics(metrics: HttpMetrics, vnfmType: string): PollMetrics {
  const route = pollRoute(vnfmType);
  const counted = {
    GET: metrics.httpRequests.labels({ method: 'GET', route, status: '200' }),
    HEAD: metrics.httpRequests.labels({ method: 'HEAD', route, status: '200' }),
  };
  const timed = {
    GET: metrics.httpDuration.labels({ method: 'GET', route }),
    HEAD: metrics.httpDuration.labels({ method: 'HEAD', route }),
  };
  return {
    polled: (method, seconds) => {
      counted[method].inc();
      timed[method].observe(seconds);
    },
  };
}

/**
 * The HTTP server's request listener: the plain job-status poll is answered here, before Express, and
 * everything else goes to `app`, the Express app.
 *
 * NSLCM polls every job it follows every 2 s, so the poll is by far the most frequent request; answering it
 * takes a store read, while Express's request set-up and router walk for it cost several times that. The
 * plain poll is `GET`/`HEAD /api/<vnfmType>/v1/{vnfmid}/jobs/{jobId}?responseId=N` with ids needing no decoding,
 * N digits only and no conditional header, for a job that exists. It is answered with the same status, headers
 * and body as the Express route, counted in the same HTTP metrics (route label
 * `/api/<vnfmType>/v1/:vnfmid/jobs/:jobId`) and logged with the same request line, at `debug`: NSLCM polls every
 * job every 2 s for as long as it runs, the job's own progress lines already tell each change at `info`, and
 * `http_requests_total` counts the polls. Any other request, including
 * a poll whose job is unknown or whose query needs parsing, is handed to `app` unchanged, which answers it
 * (or its error) as it does every request, POSTs in their turn when `admitPost` is given. Both answer with the store's rendering of the job descriptor
 * (`jobDescriptorJson`), the only one there is.
 */
export function createRequestListener(app: RequestListener, deps: RequestListenerDeps): RequestListener {
  /** The store's answer to a plain poll, or undefined when the request is not one (then `app` answers it). */
  const readPoll = (req: IncomingMessage): { method: 'GET' | 'HEAD'; body: Promise<string | undefined>; started: bigint } | undefined => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const url = req.url ?? '';
    const match = matchPollPath(url, deps.vnfmType);
    if (!match || match.queryStart < 0) return undefined;
    const after = plainResponseId(url, match.queryStart);
    if (after < 0 || req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return undefined;
    const started = process.hrtime.bigint();
    return { method, body: deps.jobs.jobDescriptorJson(match.jobId, after, match.vnfmId), started };
  };
  const answerPoll = (req: IncomingMessage, res: ServerResponse, method: 'GET' | 'HEAD', body: string, started: bigint): void => {
    const requestId = requestIdOf(req);
    const length = String(Buffer.byteLength(body));
    res.writeHead(
      200,
      echoesTransactionId(req)
        ? [REQUEST_ID_HEADER, requestId, TRANSACTION_ID_HEADER, requestId, 'Content-Type', JSON_UTF8, 'Content-Length', length]
        : [REQUEST_ID_HEADER, requestId, 'Content-Type', JSON_UTF8, 'Content-Length', length],
    );
    res.end(method === 'HEAD' ? undefined : body);
    deps.metrics?.polled(method, Number(process.hrtime.bigint() - started) / 1e9);
    logRequestLine(deps.log, req, 200, requestId, started, 'debug');
  };
  const admitPost = deps.admitPost;
  return (req, res) => {
    const poll = readPoll(req);
    if (poll) {
      // An unknown job, or a store that failed, is left to the app, which answers it (or its error) as every request.
      poll.body.then(
        (body) => (body === undefined ? app(req, res) : answerPoll(req, res, poll.method, body, poll.started)),
        () => app(req, res),
      );
      return;
    }
    if (admitPost && req.method === 'POST') {
      admitPost(() => {
        if (!req.socket.destroyed) app(req, res);
      });
    } else {
      app(req, res);
    }
  };
}
