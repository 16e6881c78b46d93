import { FramingError } from '../../../src/netconf/errors';
import { encodeFrame, FrameDecoder, type FramingMode } from '../../../src/netconf/framing';

/** RFC 6242 §4.2 example: one <rpc> in three chunks. */
const RFC_CHUNKED =
  '\n#4\n<rpc\n#18\n message-id="102"\n\n#79\n     xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">\n  <close-session/>\n</rpc>\n##\n';
const RFC_MESSAGE = '<rpc message-id="102"\n     xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">\n  <close-session/>\n</rpc>';

function decodeAll(parts: Buffer[], mode: FramingMode, maxMessageBytes?: number): string[] {
  const d = new FrameDecoder({ maxMessageBytes });
  d.mode = mode;
  const out: string[] = [];
  for (const p of parts) {
    d.push(p);
    for (let m = d.next(); m !== undefined; m = d.next()) out.push(m);
  }
  d.end();
  return out;
}

function splitAt(input: Buffer, ...cuts: number[]): Buffer[] {
  const bounds = [0, ...cuts, input.length];
  return bounds.slice(1).map((end, i) => input.subarray(bounds[i], end));
}

describe('FrameDecoder', () => {
  it('when the RFC 6242 chunked example is split at every byte position, then it decodes to the same message', () => {
    const input = Buffer.from(RFC_CHUNKED + RFC_CHUNKED, 'utf8');
    for (let i = 0; i <= input.length; i++) {
      expect(decodeAll(splitAt(input, i), 'chunked')).toEqual([RFC_MESSAGE, RFC_MESSAGE]);
    }
  });

  it('when the chunked input arrives one byte at a time, then it decodes to the same message', () => {
    const input = Buffer.from(RFC_CHUNKED, 'utf8');
    const bytes = [...input].map((b) => Buffer.from([b]));
    expect(decodeAll(bytes, 'chunked')).toEqual([RFC_MESSAGE]);
  });

  it('when end-of-message input is split at every pair of byte positions, then both messages decode', () => {
    const a = '<rpc-reply message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>';
    const b = '<data>]]> and ]]</data>';
    const input = Buffer.from(`${a}]]>]]>${b}]]>]]>`, 'utf8');
    for (let i = 0; i <= input.length; i++) {
      for (let j = i; j <= input.length; j += 7) {
        expect(decodeAll(splitAt(input, i, j), 'eom')).toEqual([a, b]);
      }
    }
  });

  it('when a multi-byte UTF-8 character straddles two chunks, then it is decoded intact', () => {
    const text = '<x>caf\u00e9 \u2713</x>';
    const body = Buffer.from(text, 'utf8');
    const cut = body.indexOf(0xc3) + 1;
    const input = Buffer.from(`\n#${cut}\n`),
      rest = Buffer.from(`\n#${body.length - cut}\n`);
    const stream = Buffer.concat([input, body.subarray(0, cut), rest, body.subarray(cut), Buffer.from('\n##\n')]);
    expect(decodeAll([stream], 'chunked')).toEqual([text]);
  });

  it('when the mode switches after the hello, then the rest of the same buffer is decoded as chunks', () => {
    const d = new FrameDecoder();
    d.push(Buffer.concat([encodeFrame('<hello/>', 'eom'), encodeFrame('<rpc-reply/>', 'chunked')]));
    expect(d.next()).toBe('<hello/>');
    d.mode = 'chunked';
    expect(d.next()).toBe('<rpc-reply/>');
    expect(d.next()).toBeUndefined();
  });

  it.each([
    ['a zero-length chunk', '\n#0\n\n##\n', /zero-length chunk/],
    ['a garbage header', '\nxyz\n', /malformed chunk header \(expected '#'\)/],
    ['a header without leading LF', '#4\n<rpc\n##\n', /malformed chunk header \(expected LF\)/],
    ['a non-numeric chunk size', '\n#4a\n', /not a decimal number/],
    ['a chunk size of more than 10 digits', '\n#12345678901\n', /more than 10 digits/],
    ['a chunk size above 4294967295', '\n#4294967296\n', /exceeds 4294967295/],
    ['an end-of-chunks marker without chunks', '\n##\n', /without any chunk/],
  ])('when the stream has %s, then next() throws a FramingError', (_name, input, message) => {
    const d = new FrameDecoder();
    d.mode = 'chunked';
    d.push(Buffer.from(input, 'latin1'));
    expect(() => d.next()).toThrow(FramingError);
    expect(() => d.next()).toThrow(message);
  });

  it('when a chunk is larger than the maximum message size, then the decoder fails before buffering it', () => {
    const d = new FrameDecoder({ maxMessageBytes: 1024 });
    d.mode = 'chunked';
    d.push(Buffer.from('\n#1025\n'));
    expect(() => d.next()).toThrow(/exceeds? the maximum of 1024/);
  });

  it('when chunks add up beyond the maximum message size, then the decoder fails', () => {
    const d = new FrameDecoder({ maxMessageBytes: 100 });
    d.mode = 'chunked';
    d.push(Buffer.from(`\n#60\n${'a'.repeat(60)}\n#60\n`));
    expect(() => d.next()).toThrow(FramingError);
  });

  it('when an end-of-message stream grows beyond the maximum without a delimiter, then the decoder fails', () => {
    const d = new FrameDecoder({ maxMessageBytes: 100 });
    d.push(Buffer.from('a'.repeat(60)));
    expect(d.next()).toBeUndefined();
    d.push(Buffer.from('a'.repeat(60)));
    expect(() => d.next()).toThrow(/exceeds 100 bytes/);
  });

  it.each<[FramingMode, string]>([
    ['chunked', '\n#10\n<rpc'],
    ['chunked', '\n#4\n<rpc'],
    ['chunked', '\n#4'],
    ['eom', '<rpc-reply>]]>]]'],
  ])('when a %s stream is truncated (%j), then end() throws a FramingError', (mode, input) => {
    const d = new FrameDecoder();
    d.mode = mode;
    d.push(Buffer.from(input));
    while (d.next() !== undefined);
    expect(() => d.end()).toThrow(/truncated stream/);
  });

  it('when a stream ends between messages, then end() does not throw', () => {
    expect(decodeAll([encodeFrame('<a/>', 'chunked')], 'chunked')).toEqual(['<a/>']);
    expect(decodeAll([Buffer.from('<a/>]]>]]>\n')], 'eom')).toEqual(['<a/>']);
  });
});

describe('encodeFrame', () => {
  it('when a message is encoded in chunked mode, then the chunk size counts UTF-8 bytes', () => {
    expect(encodeFrame('<x>\u00e9</x>', 'chunked').toString('utf8')).toBe('\n#9\n<x>\u00e9</x>\n##\n');
  });

  it('when an eom message contains the delimiter, then encoding refuses it', () => {
    expect(() => encodeFrame('<x>]]>]]></x>', 'eom')).toThrow(FramingError);
  });
});
