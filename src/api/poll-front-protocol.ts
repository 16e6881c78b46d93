/** Messages between the poll front's thread and the service's main thread (src/api/poll-front.ts). */
import type { LogLevel } from '../logging/log';

/** What the front thread is started with. */
export interface PollFrontSettings {
  /** Public address the front listens on. */
  host: string;
  port: number;
  vnfmType: string;
  /** The store file (SQLite, WAL) polls are answered from. */
  storePath: string;
  /** Port of the service's own HTTP server on 127.0.0.1, which gets every request the front does not answer. */
  backendPort: number;
  /** Longest wait for the backend's answer, ms. */
  backendTimeoutMs: number;
  /** Lowest level of the log lines the front sends to the main thread. */
  logLevel: LogLevel;
  /** Pause between two reports of the polls answered, ms. */
  reportIntervalMs: number;
  /** Nice value the thread asks for (0: none asked). */
  nice: number;
}

/** Durations in seconds of the polls answered since the last report, by method. */
export interface PollReport {
  GET: number[];
  HEAD: number[];
}

/** Front thread → main thread. */
export type FrontMessage =
  | { type: 'listening'; port: number; priority: string }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'polls'; report: PollReport }
  | { type: 'log'; level: LogLevel; message: string; meta?: Record<string, unknown> };

/** Main thread → front thread: stop accepting, let requests in flight finish within `timeoutMs`, then end. */
export interface CloseMessage {
  type: 'close';
  timeoutMs: number;
}
