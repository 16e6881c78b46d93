import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LifecycleService } from '../lifecycle/lifecycle-service';
import type { Log } from '../logging/log';
import type { HttpMetrics } from '../metrics/http-metrics-middleware';
import { matchPollPath, plainResponseId } from './job-poll-path';
import { echoesTransactionId, logRequestLine, REQUEST_ID_HEADER, requestIdOf, TRANSACTION_ID_HEADER } from './request-context';

/** What the request listener needs besides the Express app. */
export interface RequestListenerDeps {
  vnfmType: string;
  lifecycle: Pick<LifecycleService, 'jobDescriptorJson'>;
  log: Log;
  metrics?: HttpMetrics;
  /**
   * Where a POST (an operation request) is handed to the app: by default at once; given a scheduler of turns
   * among the background work (src/jobs/work-turns.ts), in its turn. A burst of operation requests (hundreds of
   * NSLCM workflows starting at once) is then parsed, validated, recorded and answered one per turn instead of
   * back to back in one read, and the job-status polls read in between are not held behind all of them. A POST
   * whose connection closed while it waited is dropped without reaching the app: nobody would learn its jobId.
   */
  admitPost?: (task: () => void) => void;
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * The HTTP server's request listener: the plain job-status poll is answered here, before Express, and
 * everything else goes to the Express app.
 *
 * NSLCM polls every job it follows every 2 s, so the poll is by far the most frequent request; answering it
 * takes a store read, while Express's request set-up and router walk for it cost several times that. The
 * plain poll is `GET`/`HEAD /api/<vnfmType>/v1/{vnfmid}/jobs/{jobId}?responseId=N` with ids needing no decoding,
 * N digits only and no conditional header, for a job that exists. It is answered with the same status, headers
 * and body as the Express route, counted in the same HTTP metrics (route label
 * `/api/<vnfmType>/v1/:vnfmid/jobs/:jobId`) and logged with the same request line, at `debug`: NSLCM polls every
 * job every 2 s for as long as it runs, the job's own progress lines already tell each change at `info`, and
 * `http_requests_total` counts the polls. Any other request, including
 * a poll whose job is unknown or whose query needs parsing, is handed to Express unchanged, which answers it
 * (or its error) as it does every request, POSTs in their turn when `admitPost` is given.
 */
export function createRequestListener(app: RequestListener, deps: RequestListenerDeps): RequestListener {
  const route = `/api/${deps.vnfmType}/v1/:vnfmid/jobs/:jobId`;
  const counted = deps.metrics && {
    GET: deps.metrics.httpRequests.labels({ method: 'GET', route, status: '200' }),
    HEAD: deps.metrics.httpRequests.labels({ method: 'HEAD', route, status: '200' }),
  };
  const timed = deps.metrics && {
    GET: deps.metrics.httpDuration.labels({ method: 'GET', route }),
    HEAD: deps.metrics.httpDuration.labels({ method: 'HEAD', route }),
  };
  const answerPoll = (req: IncomingMessage, res: ServerResponse): boolean => {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url ?? '';
    const match = matchPollPath(url, deps.vnfmType);
    if (!match || match.queryStart < 0) return false;
    const after = plainResponseId(url, match.queryStart);
    if (after < 0 || req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return false;
    const started = process.hrtime.bigint();
    let body: string;
    try {
      body = deps.lifecycle.jobDescriptorJson(match.jobId, after);
    } catch {
      return false;
    }
    const requestId = requestIdOf(req);
    const length = String(Buffer.byteLength(body));
    res.writeHead(200, echoesTransactionId(req)
      ? [REQUEST_ID_HEADER, requestId, TRANSACTION_ID_HEADER, requestId, 'Content-Type', JSON_UTF8, 'Content-Length', length]
      : [REQUEST_ID_HEADER, requestId, 'Content-Type', JSON_UTF8, 'Content-Length', length]);
    res.end(method === 'HEAD' ? undefined : body);
    counted?.[method].inc();
    timed?.[method].observe(Number(process.hrtime.bigint() - started) / 1e9);
    logRequestLine(deps.log, req, 200, requestId, started, 'debug');
    return true;
  };
  const admitPost = deps.admitPost;
  return (req, res) => {
    if (answerPoll(req, res)) return;
    if (admitPost && req.method === 'POST') {
      admitPost(() => {
        if (!req.socket.destroyed) app(req, res);
      });
    } else {
      app(req, res);
    }
  };
}
