/**
 * A byte pipe carrying one NETCONF session (RFC 6241 §2). The SSH subsystem implements it; tests
 * use an in-memory pair. Handlers are registered once, before any data flows.
 */
export interface NetconfTransport {
  /** Sends bytes; each call is one write on the underlying channel. */
  write(data: Buffer): void;
  /** Registers the receiver of incoming bytes and of the end of the stream (with its cause, if any). */
  start(handlers: TransportHandlers): void;
  /** Graceful end: half-closes, then tears down the connection. */
  end(): void;
  /** Immediate teardown. */
  destroy(): void;
  /**
   * Stops delivering received bytes until {@link resume}: the peer is then held back by the transport's own flow
   * control (SSH's channel window), not buffered here. Optional: a transport without it is never held back.
   */
  pause?(): void;
  /** Delivers received bytes again after {@link pause}. */
  resume?(): void;
}

/** Callbacks a transport delivers to its session. */
export interface TransportHandlers {
  data(chunk: Buffer): void;
  /** Called once when the stream is gone; `err` when it was lost rather than closed. */
  closed(err?: Error): void;
}
