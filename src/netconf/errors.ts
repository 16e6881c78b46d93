import type { XmlElement } from '../xml';

/** Stable error codes of the NETCONF layer. */
export type NetconfErrorCode = 'TRANSPORT' | 'FRAMING' | 'TIMEOUT' | 'RPC_ERROR' | 'AUTH' | 'HOST_KEY' | 'CLOSED' | 'PROTOCOL';

/** Where an error happened: peer, session, rpc and the step that failed (e.g. "read server hello"). */
export interface NetconfErrorContext {
  host?: string;
  port?: number;
  sessionId?: string;
  messageId?: string;
  step?: string;
}

/** Base of every error raised by `src/netconf/`; `code` is stable, the message is for humans. */
export class NetconfError extends Error {
  readonly code: NetconfErrorCode;
  readonly context: NetconfErrorContext;

  constructor(code: NetconfErrorCode, message: string, context: NetconfErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetconfError';
    this.code = code;
    this.context = context;
  }
}

/** The byte stream violates RFC 6242 framing (bad chunk header, oversized or truncated message). */
export class FramingError extends NetconfError {
  constructor(message: string, context: NetconfErrorContext = {}) {
    super('FRAMING', message, context);
    this.name = 'FramingError';
  }
}

/** One <rpc-error> of an <rpc-reply>, every field kept (RFC 6241 §4.3). */
export interface RpcErrorDetail {
  /** error-type: transport, rpc, protocol or application. */
  type: string;
  /** error-tag, e.g. invalid-value, lock-denied. */
  tag: string;
  /** error-severity: error or warning. */
  severity: string;
  appTag?: string;
  path?: string;
  message?: string;
  /** The <error-info> element as received. */
  info?: XmlElement;
  /** The whole <rpc-error> element as received. */
  raw: XmlElement;
}

/** The peer answered with one or more <rpc-error>s; all of them are kept, in order. */
export class RpcError extends NetconfError {
  readonly errors: RpcErrorDetail[];

  constructor(errors: RpcErrorDetail[], context: NetconfErrorContext = {}) {
    super('RPC_ERROR', describeRpcErrors(errors), context);
    this.name = 'RpcError';
    this.errors = errors;
  }
}

function describeRpcErrors(errors: RpcErrorDetail[]): string {
  const parts = errors.map((e) => {
    const msg = e.message ? `: ${e.message}` : '';
    const path = e.path ? ` at ${e.path}` : '';
    return `${e.type}/${e.tag}${msg}${path}`;
  });
  return `rpc-error (${errors.length}): ${parts.join('; ')}`;
}
