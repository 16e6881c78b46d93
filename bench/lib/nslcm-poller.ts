import { LeanHttpClient, type LeanAnswer } from './lean-http-client';

/** A job descriptor as the driver answers it (the fields the wait loop reads). */
export interface PolledDescriptor {
  responseId: string;
  status: string;
  progress: number | string;
  statusDescription: string;
}

/**
 * What one wait loop saw; `latenciesMs` are the round trips of every poll (send to last byte), `sentAtMs` when each
 * was sent (performance.now(), ms), `postMs` the round trip of the operation's POST.
 */
export interface PolledOutcome {
  jobId: string;
  vnfInstanceId?: string;
  last: PolledDescriptor;
  polls: number;
  latenciesMs: number[];
  sentAtMs: number[];
  postMs: number;
}

/** Pause after each poll, ms: fixed, or drawn anew for every pause. */
export type PollPause = number | (() => number);

/**
 * NSLCM's side of a lifecycle operation for benches: POST the operation, then its wait loop (docs/nslcm-contract.md §4
 * "Job polling": responseId 0 first, then the last one received; an answer repeating the sent responseId is
 * ignored; 404 means keep polling; stop only on finished/error). The same loop as the component tests' harness,
 * on keep-alive connections of a lean HTTP client (./lean-http-client.ts), so that the load generator's own work
 * inflates the measured round trips as little as possible.
 */
export class NslcmPoller {
  private readonly client: LeanHttpClient;

  constructor(host: string, port: number) {
    this.client = new LeanHttpClient(host, port);
  }

  /**
   * POSTs `body` to `path`, expects 200-202 with a jobId, and polls the job until it ends. `intervalMs` is the
   * pause after each poll, or a function giving each pause.
   */
  async runOperation(path: string, body: unknown, jobsBase: string, timeoutMs: number, intervalMs: PollPause): Promise<PolledOutcome> {
    const t0 = performance.now();
    const res = await this.send('POST', path, JSON.stringify(body));
    const postMs = performance.now() - t0;
    const answer = parse(res.body) as { jobId?: unknown; vnfInstanceId?: unknown } | undefined;
    if (res.status < 200 || res.status > 202 || typeof answer?.jobId !== 'string') {
      throw new Error(`POST ${path} answered ${res.status}: ${res.body}`);
    }
    const jobId = answer.jobId;
    const outcome = await this.pollJob(`${jobsBase}/${jobId}`, timeoutMs, intervalMs);
    return { ...outcome, jobId, postMs, vnfInstanceId: typeof answer.vnfInstanceId === 'string' ? answer.vnfInstanceId : undefined };
  }

  /** The wait loop on one job path. */
  async pollJob(jobPath: string, timeoutMs: number, intervalMs: PollPause): Promise<Omit<PolledOutcome, 'jobId' | 'postMs'>> {
    const until = Date.now() + timeoutMs;
    const latenciesMs: number[] = [];
    const sentAtMs: number[] = [];
    let responseId = '0';
    for (let polls = 1; Date.now() < until; polls++) {
      const t0 = performance.now();
      const res = await this.send('GET', `${jobPath}?responseId=${responseId}`);
      latenciesMs.push(performance.now() - t0);
      sentAtMs.push(t0);
      if (res.status !== 200 && res.status !== 404) throw new Error(`job poll answered ${res.status}: ${res.body}`);
      const d =
        res.status === 200 ? (parse(res.body) as { responseDescriptor?: PolledDescriptor } | undefined)?.responseDescriptor : undefined;
      if (d && d.responseId !== responseId) {
        responseId = d.responseId;
        if (d.status === 'finished' || d.status === 'error') return { last: d, polls, latenciesMs, sentAtMs };
      }
      await new Promise((r) => setTimeout(r, typeof intervalMs === 'number' ? intervalMs : intervalMs()));
    }
    throw new Error(`job ${jobPath} did not end within ${timeoutMs} ms (last responseId ${responseId})`);
  }

  close(): void {
    this.client.close();
  }

  private send(method: 'GET' | 'POST', path: string, body?: string): Promise<LeanAnswer> {
    return this.client.request(method, path, body);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
