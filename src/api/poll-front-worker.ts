import http from 'node:http';
import { setPriority } from 'node:os';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { JobHistoryReader } from '../jobs/job-history-reader';
import { WorkTurns } from '../jobs/work-turns';
import { LOG_LEVELS, type Log, type LogLevel } from '../logging/log';
import { createBackendProxy } from './backend-proxy';
import type { CloseMessage, FrontMessage, PollFrontSettings, PollReport } from './poll-front-protocol';
import { createRequestListener } from './request-listener';

/**
 * The poll front's thread (started by src/api/poll-front.ts): the service's public HTTP server. Plain job-status
 * polls are answered here from the store file; every other request goes to the service's own server on
 * 127.0.0.1. Log lines and poll figures are sent to the main thread, which logs and counts them.
 */
const port: MessagePort = parentPort ?? notAThread();

function notAThread(): never {
  throw new Error('poll-front-worker runs as a worker thread');
}
const settings = workerData as PollFrontSettings;
const send = (m: FrontMessage): void => port.postMessage(m);

/** A Log that sends the lines at or above the configured level to the main thread. */
function forwardingLog(level: LogLevel, base: Record<string, unknown> = {}): Log {
  const rank = LOG_LEVELS.indexOf(level);
  const line = (lineLevel: LogLevel) => (message: string, meta?: Record<string, unknown>): undefined => {
    if (LOG_LEVELS.indexOf(lineLevel) <= rank) send({ type: 'log', level: lineLevel, message, meta: { ...base, ...meta } });
    return undefined;
  };
  return {
    error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'),
    child: (meta) => forwardingLog(level, { ...base, ...meta }),
  };
}

const log = forwardingLog(settings.logLevel);

/**
 * Asks for the configured nice value for this thread alone (Linux keeps one per thread; with 0 as the pid,
 * setpriority applies to the calling thread). Lowering a nice value needs CAP_SYS_NICE: without it the thread
 * keeps the priority it was started with, which is said in the answer.
 */
function takePriority(nice: number): string {
  if (nice === 0) return 'normal (none asked)';
  try {
    setPriority(nice);
    return `nice ${nice}`;
  } catch (err) {
    return `normal (nice ${nice} refused: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; it needs CAP_SYS_NICE)`;
  }
}
const priority = takePriority(settings.nice);
let report: PollReport = { GET: [], HEAD: [] };
const flush = (): void => {
  if (report.GET.length === 0 && report.HEAD.length === 0) return;
  send({ type: 'polls', report });
  report = { GET: [], HEAD: [] };
};

/** The store reader, or undefined after telling the main thread why there is none (the thread then ends). */
function openReader(): JobHistoryReader | undefined {
  try {
    return JobHistoryReader.open(settings.storePath);
  } catch (err) {
    send({ type: 'failed', message: `cannot read the store: ${(err as Error).message}`, code: (err as NodeJS.ErrnoException).code });
    port.close();
    return undefined;
  }
}

const reader = openReader();
if (reader) serve(reader);

function serve(reader: JobHistoryReader): void {
  const proxy = createBackendProxy({
    port: settings.backendPort,
    timeoutMs: settings.backendTimeoutMs,
    onFailure: (f) => log.warn('request not answered by the service', f),
  });
  const postTurns = new WorkTurns(1);
  const server = http.createServer(createRequestListener(proxy.listener, {
    vnfmType: settings.vnfmType,
    jobs: reader,
    log,
    metrics: { polled: (method, seconds) => report[method].push(seconds) },
    // Operation requests are handed on one per event-loop iteration, after the polls read with them have been
    // answered: a herd of them does not hold up the polls read while it is handed on.
    admitPost: (task) => postTurns.run(task),
  }));
  const reporter = setInterval(flush, settings.reportIntervalMs);
  /** Lets go of everything the thread holds, after which it ends. */
  const release = (): void => {
    clearInterval(reporter);
    reader.close();
    proxy.close();
    port.close();
  };

  server.on('error', (err: NodeJS.ErrnoException) => {
    if (server.listening) {
      log.error('poll front server error', { error: err.message, code: err.code });
      return;
    }
    send({ type: 'failed', message: err.message, code: err.code });
    release();
  });
  server.listen(settings.port, settings.host, () => send({ type: 'listening', port: (server.address() as AddressInfo).port, priority }));

  port.on('message', (m: CloseMessage) => {
    if (m.type !== 'close') return;
    const timer = setTimeout(() => server.closeAllConnections(), m.timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      flush();
      release();
    });
    server.closeIdleConnections();
  });
}
