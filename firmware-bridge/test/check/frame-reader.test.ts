// The strict reader records a server's mistakes instead of hiding them.
import { describe, expect, it } from 'vitest';
import { buildFrame, closePayload, OPCODE } from '../../src/check/client-frame.js';
import { FrameReader } from '../../src/check/frame-reader.js';

const kinds = (r: FrameReader) => r.violations.map((v) => v.kind);

const readAll = (bytes: Buffer): FrameReader => {
  const r = new FrameReader(4096);
  r.push(bytes);
  while (r.next());
  return r;
};

describe('FrameReader', () => {
  it('reads a minimal unmasked text frame without violations', () => {
    const r = new FrameReader();
    r.push(Buffer.from([0x81, 0x02, 0x68, 0x69]));
    const f = r.next();
    expect(f?.message?.data.toString()).toBe('hi');
    expect(r.violations).toEqual([]);
  });

  it('waits for the rest of a frame split across chunks', () => {
    const r = new FrameReader();
    const bytes = buildFrame({ opcode: OPCODE.text, payload: 'x'.repeat(300), mask: false });
    r.push(bytes.subarray(0, 3));
    expect(r.next()).toBeUndefined();
    r.push(bytes.subarray(3));
    expect(r.next()?.frame.payload.length).toBe(300);
  });

  it('records masked frames, non-minimal lengths and RSV bits', () => {
    expect(kinds(readAll(buildFrame({ opcode: OPCODE.text, payload: 'a', mask: true })))).toEqual([
      'masked-server-frame',
    ]);
    expect(
      kinds(readAll(buildFrame({ opcode: OPCODE.text, payload: 'a', mask: false, lengthForm: '16' }))),
    ).toEqual(['non-minimal-length']);
    expect(kinds(readAll(buildFrame({ opcode: OPCODE.text, payload: 'a', mask: false, rsv: 4 })))).toEqual([
      'rsv-set',
    ]);
  });

  it('records invalid UTF-8 in text, also across fragments', () => {
    const bad = Buffer.concat([
      buildFrame({ opcode: OPCODE.text, payload: Buffer.from([0xe2, 0x82]), mask: false, fin: false }),
      buildFrame({ opcode: OPCODE.continuation, payload: Buffer.from([0x28]), mask: false }),
    ]);
    expect(kinds(readAll(bad))).toEqual(['invalid-utf8']);
  });

  it('records close codes that must never be sent, long reasons and data after close', () => {
    const bytes = Buffer.concat([
      buildFrame({ opcode: OPCODE.close, payload: closePayload(1006), mask: false }),
      buildFrame({ opcode: OPCODE.text, payload: '{}', mask: false }),
    ]);
    expect(kinds(readAll(bytes))).toEqual(['forbidden-close-code', 'data-after-close']);
    const long = buildFrame({
      opcode: OPCODE.close,
      payload: closePayload(1000, 'r'.repeat(124)),
      mask: false,
    });
    expect(kinds(readAll(long))).toEqual(['control-too-long', 'long-close-reason']);
  });

  it('gives up on a declared length over its cap without allocating it', () => {
    const r = readAll(buildFrame({ opcode: OPCODE.text, declaredLength: 1n << 40n, mask: false }));
    expect(kinds(r)).toEqual(['frame-too-large']);
    expect(r.broken).toBe(true);
  });
});
