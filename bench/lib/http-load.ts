import http from 'node:http';
import { summarize, type LatencySummary } from './percentiles';

/** Where to send GETs: a port on 127.0.0.1 and a function giving the path of each request. */
export interface LoadTarget {
  port: number;
  nextPath: () => string;
}

/** Figures of one load run; latencies in ms. */
export interface LoadResult {
  /** Requests answered with 2xx inside the measured window. */
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** Paced runs: requests not sent because `maxInFlight` were already waiting. */
  skipped: number;
  elapsedMs: number;
  /** ok / elapsed seconds. */
  perSecond: number;
  latency: LatencySummary;
}

/** Closed-loop load: `concurrency` keep-alive clients, each sending its next request when the last is answered. */
export interface SaturationOptions {
  concurrency: number;
  durationMs: number;
  /** Upper bound on requests, whatever the duration. */
  maxRequests: number;
  /** Per-request timeout, ms (default 5000). */
  timeoutMs?: number;
}

/** Open-loop load: requests sent on a fixed schedule, whatever the answers do. */
export interface PacedOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Bound on requests waiting for an answer; a due request beyond it is skipped and counted. */
  maxInFlight: number;
  timeoutMs?: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** One GET; resolves with its status (0 on socket error or timeout) once the body has been read. */
function get(agent: http.Agent, target: LoadTarget, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: target.port, path: target.nextPath(), agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
  });
}

/** Tallies answers and latencies. */
class Recorder {
  readonly latencies: number[] = [];
  errors = 0;
  skipped = 0;

  record(status: number, ms: number): void {
    if (status >= 200 && status < 300) this.latencies.push(ms);
    else this.errors++;
  }

  result(elapsedMs: number): LoadResult {
    const ok = this.latencies.length;
    return {
      ok,
      errors: this.errors,
      skipped: this.skipped,
      elapsedMs,
      perSecond: ok / (elapsedMs / 1000),
      latency: summarize(this.latencies),
    };
  }
}

/** Runs closed-loop load until the duration or the request bound is reached; returns throughput and latency. */
export async function runSaturation(target: LoadTarget, opts: SaturationOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const rec = new Recorder();
  const started = nowMs();
  const deadline = started + opts.durationMs;
  let issued = 0;
  const client = async (): Promise<void> => {
    while (issued < opts.maxRequests && nowMs() < deadline) {
      issued++;
      const t0 = nowMs();
      const status = await get(agent, target, opts.timeoutMs ?? 5000);
      rec.record(status, nowMs() - t0);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, client));
    return rec.result(nowMs() - started);
  } finally {
    agent.destroy();
  }
}

/**
 * Sends `ratePerSecond` requests per second for the duration, on a timer, without waiting for answers (so a
 * stalled server cannot slow the sender down and hide its stall). Latency counts from when each request was sent:
 * timer lateness (about a millisecond) would otherwise be charged to the server.
 */
export async function runPaced(target: LoadTarget, opts: PacedOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxInFlight });
  const rec = new Recorder();
  const total = Math.max(1, Math.round((opts.ratePerSecond * opts.durationMs) / 1000));
  const interval = 1000 / opts.ratePerSecond;
  const pending = new Set<Promise<void>>();
  const started = nowMs();
  let next = 0;
  try {
    while (next < total) {
      const now = nowMs();
      for (; next < total && started + next * interval <= now; next++) {
        if (pending.size >= opts.maxInFlight) {
          rec.skipped++;
          continue;
        }
        const sent = nowMs();
        const p: Promise<void> = get(agent, target, opts.timeoutMs ?? 5000).then((status) => {
          rec.record(status, nowMs() - sent);
          pending.delete(p);
        });
        pending.add(p);
      }
      await sleep(Math.max(0, Math.min(interval, started + next * interval - nowMs())));
    }
    await Promise.all(pending);
    return rec.result(nowMs() - started);
  } finally {
    agent.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
