import { Pool } from 'undici';

/** A job descriptor as the driver answers it (the fields the wait loop reads). */
interface PolledDescriptor {
  responseId: string;
  status: string;
  progress: number | string;
  statusDescription: string;
}

/** What one wait loop saw: the round trip of the operation's POST and of every poll (send to last byte), ms. */
interface PolledOutcome {
  jobId: string;
  vnfInstanceId?: string;
  last: PolledDescriptor;
  postMs: number;
  pollsMs: number[];
}

/** Bound on any one request, ms. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * NSLCM's side of a lifecycle operation (docs/nslcm-contract.md §4 "Job polling"): POST the operation, then the wait loop
 * (responseId 0 first, then the last one received; stop on finished or error), pausing `pauseMs` after every poll.
 * Each request goes on a connection of its own, closed after the answer, as NSLCM's calls do (its REST helper makes a
 * new HTTP client object for every call): no request waits for a connection another one holds.
 */
export class NslcmPoller {
  private readonly pool: Pool;
  /** Answers that were not 2xx, by status, over every operation (404 on a poll included: NSLCM polls on after it). */
  readonly non2xx = new Map<number, number>();

  constructor(origin: string) {
    // No bound on connections: each request opens one and closes it (`reset`).
    this.pool = new Pool(origin, { headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
  }

  /**
   * POSTs `body` to `path`, expects 2xx with a jobId, and polls the job under `jobsPath` until it ends. `onAccepted`
   * learns the job as soon as the POST is answered (a caller that must account for every accepted job).
   */
  async runOperation(
    path: string,
    body: unknown,
    jobsPath: string,
    pauseMs: number,
    timeoutMs: number,
    onAccepted?: (jobId: string, vnfInstanceId?: string) => void,
  ): Promise<PolledOutcome> {
    const t0 = performance.now();
    const posted = (await this.send('POST', path, JSON.stringify(body))) as { jobId?: unknown; vnfInstanceId?: unknown };
    const postMs = performance.now() - t0;
    if (typeof posted.jobId !== 'string') throw new Error(`POST ${path} answered without a jobId`);
    onAccepted?.(posted.jobId, typeof posted.vnfInstanceId === 'string' ? posted.vnfInstanceId : undefined);
    const until = Date.now() + timeoutMs;
    const pollsMs: number[] = [];
    let responseId = '0';
    while (Date.now() < until) {
      const sent = performance.now();
      const answer = (await this.send('GET', `${jobsPath}/${posted.jobId}?responseId=${responseId}`, undefined, [404])) as
        { responseDescriptor?: PolledDescriptor } | undefined;
      pollsMs.push(performance.now() - sent);
      const d = answer?.responseDescriptor;
      if (d && d.responseId !== responseId) {
        responseId = d.responseId;
        if (d.status === 'finished' || d.status === 'error') {
          const vnfInstanceId = typeof posted.vnfInstanceId === 'string' ? posted.vnfInstanceId : undefined;
          return { jobId: posted.jobId, vnfInstanceId, last: d, postMs, pollsMs };
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    throw new Error(`job ${posted.jobId} did not end within ${timeoutMs} ms (last responseId ${responseId})`);
  }

  /** The status of a job's latest entry (one poll with responseId 0 at `jobPath`), or undefined when it is unknown (404). */
  async jobStatus(jobPath: string): Promise<string | undefined> {
    const answer = (await this.send('GET', `${jobPath}?responseId=0`, undefined, [404])) as
      { responseDescriptor?: PolledDescriptor } | undefined;
    return answer?.responseDescriptor?.status;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * One request: the parsed JSON body of a 2xx answer; undefined for a status in `tolerated`; throws for any other.
   * Every non-2xx answer is counted.
   */
  private async send(method: 'GET' | 'POST', path: string, body?: string, tolerated: number[] = []): Promise<unknown> {
    const headers = body === undefined ? undefined : { 'content-type': 'application/json' };
    const res = await this.pool.request({ method, path, body, headers, reset: true });
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode <= 299) return JSON.parse(text) as unknown;
    this.non2xx.set(res.statusCode, (this.non2xx.get(res.statusCode) ?? 0) + 1);
    if (tolerated.includes(res.statusCode)) return undefined;
    throw new Error(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  }
}
