import { FramingError } from './errors';

/**
 * NETCONF message framing (RFC 6242 §4.3): 'eom' is base:1.0 end-of-message framing (`]]>]]>`),
 * 'chunked' is base:1.1 chunked framing.
 */
export type FramingMode = 'eom' | 'chunked';

/** Default maximum size of one decoded message, in bytes (64 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const EOM = Buffer.from(']]>]]>', 'utf8');
/** Size of a decoder's buffer when it starts, and again after a backlog larger than SHRINK_ABOVE_BYTES was worked off. */
const INITIAL_BUFFER_BYTES = 16 * 1024;
const SHRINK_ABOVE_BYTES = 1024 * 1024;
const LF = 0x0a;
const HASH = 0x23;
/** RFC 6242 §4.2: chunk-size is 1..4294967295, so at most 10 digits. */
const MAX_CHUNK_DIGITS = 10;
const MAX_CHUNK_SIZE = 4294967295;

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest message accepted, in bytes; beyond it the decoder throws a FramingError. Default 64 MiB. */
  maxMessageBytes?: number;
}

/**
 * Streaming NETCONF frame decoder, correct for any split of the input. Feed bytes with `push()`,
 * then take messages with `next()` until it returns undefined; `mode` may be switched between two
 * `next()` calls (right after the hello, RFC 6242 §4.1). Bytes are appended to one growing buffer
 * (amortised O(n)) and never rescanned.
 */
export class FrameDecoder {
  /** Current framing; starts as 'eom' because hellos always use end-of-message framing. */
  mode: FramingMode = 'eom';
  private readonly maxMessageBytes: number;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private start = 0;
  private end_ = 0;
  /** eom: offset from `start` below which no delimiter can begin. */
  private scanned = 0;
  /** chunked: bytes of the chunk being read that are still expected (0 = expecting a header). */
  private chunkLeft = 0;
  /** chunked: data of the message assembled so far. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private failed: FramingError | undefined;

  constructor(opts: FrameDecoderOptions = {}) {
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Bytes received and not yet returned as a message. */
  get buffered(): number {
    return this.end_ - this.start + this.partsBytes;
  }

  /** Appends received bytes. Does not decode; call `next()`. */
  push(data: Buffer): void {
    if (data.length === 0) return;
    this.reserve(data.length);
    data.copy(this.buf, this.end_);
    this.end_ += data.length;
  }

  /**
   * Returns the next complete message (UTF-8 decoded), or undefined when more bytes are needed.
   * @throws FramingError on malformed or oversized input; the decoder stays failed afterwards.
   */
  next(): string | undefined {
    if (this.failed) throw this.failed;
    try {
      return this.mode === 'eom' ? this.nextEom() : this.nextChunked();
    } catch (err) {
      if (err instanceof FramingError) this.failed = err;
      throw err;
    }
  }

  /**
   * Declares the end of the stream.
   * @throws FramingError when a partial message is pending (truncated stream).
   */
  end(): void {
    if (this.failed) return;
    const pending = this.buf.subarray(this.start, this.end_);
    const onlyWhitespace = pending.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
    if (this.partsBytes > 0 || this.chunkLeft > 0 || !onlyWhitespace) {
      const total = this.partsBytes + pending.length;
      throw (this.failed = new FramingError(
        `truncated stream: ${total} bytes of an unfinished ${this.mode} message pending at end of input`,
      ));
    }
  }

  private nextEom(): string | undefined {
    const from = Math.max(0, this.scanned - (EOM.length - 1));
    // Search only the live bytes: stale bytes beyond end_ could complete a false delimiter.
    const rel = this.buf.subarray(this.start, this.end_).indexOf(EOM, from);
    const at = rel < 0 ? -1 : this.start + rel;
    if (at < 0) {
      this.scanned = this.end_ - this.start;
      if (this.scanned > this.maxMessageBytes) {
        throw new FramingError(`message exceeds ${this.maxMessageBytes} bytes without an end-of-message marker`);
      }
      return undefined;
    }
    if (at - this.start > this.maxMessageBytes) {
      throw new FramingError(`message of ${at - this.start} bytes exceeds the maximum of ${this.maxMessageBytes}`);
    }
    const msg = this.buf.toString('utf8', this.start, at);
    this.consume(at + EOM.length - this.start);
    this.scanned = 0;
    return msg;
  }

  private nextChunked(): string | undefined {
    for (;;) {
      if (this.chunkLeft > 0) {
        const n = Math.min(this.chunkLeft, this.end_ - this.start);
        if (n === 0) return undefined;
        this.parts.push(Buffer.from(this.buf.subarray(this.start, this.start + n)));
        this.partsBytes += n;
        this.chunkLeft -= n;
        this.consume(n);
        continue;
      }
      const header = this.readChunkHeader();
      if (header === undefined) return undefined;
      if (header === 'end') return this.finishChunkedMessage();
      if (this.partsBytes + header > this.maxMessageBytes) {
        throw new FramingError(`chunk of ${header} bytes makes the message exceed the maximum of ${this.maxMessageBytes} bytes`);
      }
      this.chunkLeft = header;
    }
  }

  /** Parses `\n#<size>\n` or `\n##\n` at the read position; undefined when incomplete (RFC 6242 §4.2). */
  private readChunkHeader(): number | 'end' | undefined {
    const avail = this.end_ - this.start;
    const b = this.buf;
    const s = this.start;
    if (avail < 1) return undefined;
    if (b[s] !== LF) throw this.badHeader('expected LF');
    if (avail < 2) return undefined;
    if (b[s + 1] !== HASH) throw this.badHeader("expected '#'");
    if (avail < 3) return undefined;
    if (b[s + 2] === HASH) {
      if (avail < 4) return undefined;
      if (b[s + 3] !== LF) throw this.badHeader('expected LF after "##"');
      if (this.partsBytes === 0) throw this.badHeader('end-of-chunks marker without any chunk');
      this.consume(4);
      return 'end';
    }
    let size = 0;
    let i = 2;
    for (; i < avail && b[s + i] !== LF; i++) {
      const d = b[s + i] - 0x30;
      if (d < 0 || d > 9 || (i === 2 && d === 0))
        throw this.badHeader(d === 0 ? 'chunk size starts with 0 (zero-length chunk)' : 'chunk size is not a decimal number');
      if (i - 2 >= MAX_CHUNK_DIGITS) throw this.badHeader(`chunk size has more than ${MAX_CHUNK_DIGITS} digits`);
      size = size * 10 + d;
    }
    if (i >= avail) return undefined;
    if (i === 2) throw this.badHeader('empty chunk size');
    if (size > MAX_CHUNK_SIZE) throw this.badHeader(`chunk size ${size} exceeds ${MAX_CHUNK_SIZE}`);
    this.consume(i + 1);
    return size;
  }

  private badHeader(reason: string): FramingError {
    const shown = JSON.stringify(this.buf.toString('latin1', this.start, Math.min(this.end_, this.start + 16)));
    return new FramingError(`malformed chunk header (${reason}) at ${shown}`);
  }

  private finishChunkedMessage(): string {
    const msg = Buffer.concat(this.parts, this.partsBytes).toString('utf8');
    this.parts = [];
    this.partsBytes = 0;
    return msg;
  }

  private consume(n: number): void {
    this.start += n;
    if (this.start === this.end_) {
      this.start = 0;
      this.end_ = 0;
      // A backlog made the buffer grow: once it is worked off, the memory goes back.
      if (this.buf.length > SHRINK_ABOVE_BYTES) this.buf = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
    }
  }

  /** Makes room for `n` more bytes: compacts when half the buffer is consumed, else doubles it. */
  private reserve(n: number): void {
    if (this.end_ + n <= this.buf.length) return;
    const live = this.end_ - this.start;
    if (live + n <= this.buf.length && this.start >= this.buf.length / 2) {
      this.buf.copy(this.buf, 0, this.start, this.end_);
    } else {
      let size = this.buf.length * 2;
      while (size < live + n) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, this.start, this.end_);
      this.buf = next;
    }
    this.start = 0;
    this.end_ = live;
  }
}

/**
 * Encodes one message for the wire (RFC 6242 §4.2 / §4.3). In chunked mode the message is one chunk.
 * @throws FramingError when an eom message contains the `]]>]]>` delimiter.
 */
export function encodeFrame(message: string, mode: FramingMode): Buffer {
  if (mode === 'eom') {
    if (message.includes(']]>]]>')) throw new FramingError('message contains the end-of-message delimiter ]]>]]>');
    return Buffer.from(`${message}]]>]]>`, 'utf8');
  }
  const body = Buffer.from(message, 'utf8');
  if (body.length === 0) throw new FramingError('cannot encode an empty message in chunked framing');
  const head = Buffer.from(`\n#${body.length}\n`, 'latin1');
  return Buffer.concat([head, body, Buffer.from('\n##\n', 'latin1')]);
}
