import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Counter } from 'prom-client';
import type { ErrorBody } from './http-errors';

/** How the server answers a request its HTTP parser refused, by Node's error code. */
const ANSWERS: Readonly<Record<string, { status: number; text: string; reason: string }>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    text: 'Request Header Fields Too Large',
    reason: 'request headers are larger than the server accepts',
  },
  HPE_INVALID_METHOD: { status: 400, text: 'Bad Request', reason: 'unknown HTTP method' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, text: 'Request Timeout', reason: 'the request did not arrive in time' },
};
const MALFORMED = { status: 400, text: 'Bad Request', reason: 'malformed HTTP request' };

/** The label of `http_client_errors_total` for a parser error code (a fixed set, never free text). */
export function clientErrorLabel(code: string | undefined): string {
  if (code && Object.hasOwn(ANSWERS, code)) return code;
  if (code === 'ECONNRESET') return code;
  return code?.startsWith('HPE_') ? 'HPE_OTHER' : 'OTHER';
}

/**
 * Answers the requests Node's HTTP parser refuses before any handler sees them (oversized headers, unknown
 * methods, malformed framing, a request too slow to arrive) with the API's JSON error body on a raw
 * HTTP/1.1 response, closes the connection, and counts each in `http_client_errors_total{code}`. A connection
 * already reset, or whose answer has begun, is only closed.
 */
export function answerClientErrors(server: Server, counter?: Counter<'code'>): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    counter?.inc({ code: clientErrorLabel(err.code) });
    const headersSent = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (err.code === 'ECONNRESET' || !socket.writable || headersSent) {
      socket.destroy();
      return;
    }
    const answer = (err.code && ANSWERS[err.code]) || MALFORMED;
    const body: ErrorBody = { error: answer.reason, details: [{ field: 'request', reason: answer.reason }] };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
