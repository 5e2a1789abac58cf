// The pieces of --core that need no harness: the stdio codec, the advert bytes handed to the core and
// the close-reason watch in front of ws.
import { describe, expect, it } from 'vitest';
import { maskedFrame } from '../../test/raw-socket.js';
import { coreReport, packLegacy, partsFromFields } from './advert-bytes.js';
import { CloseReasonWatch } from './close-reason-watch.js';
import { CoreCodecError, CoreOutReader, cutUtf8Bytes, encodeIn, MAX_BODY_BYTES } from './codec.js';

const out = (type: string, ...bytes: number[]) => {
  const b = Buffer.alloc(5 + bytes.length);
  b.writeUInt32LE(1 + bytes.length, 0);
  b[4] = type.charCodeAt(0);
  b.set(bytes, 5);
  return b;
};

describe('the core-host codec', () => {
  it('encodes messages little-endian with their length and type', () => {
    expect([...encodeIn({ type: 'tick', now: 0x01020304 })]).toEqual([5, 0, 0, 0, 0x54, 4, 3, 2, 1]);
    expect([...encodeIn({ type: 'sent', now: 1, conn: 258 })]).toEqual([
      9, 0, 0, 0, 0x53, 1, 0, 0, 0, 2, 1, 0, 0,
    ]);
    const adv = encodeIn({
      type: 'advert',
      now: 7,
      addr: Uint8Array.from([1, 2, 3, 4, 5, 6]),
      addrType: 1,
      scanRsp: true,
      conn: true,
      rssi: -58,
      data: Uint8Array.from([2, 1, 6]),
    });
    expect([...adv]).toEqual([17, 0, 0, 0, 0x41, 7, 0, 0, 0, 1, 2, 3, 4, 5, 6, 1, 3, 256 - 58, 2, 1, 6]);
    expect([...encodeIn({ type: 'answer', ok: false, message: 'no' })]).toEqual([
      4, 0, 0, 0, 0x52, 0, 0x6e, 0x6f,
    ]);
    expect(() => encodeIn({ type: 'tick', now: -1 })).toThrow(RangeError);
    expect(() => encodeIn({ type: 'text', now: 0, conn: 1, data: new Uint8Array(70_000) })).toThrow(
      RangeError,
    );
  });

  it("encodes init with hello.device's source and demo (flag 2), and the source's normal end", () => {
    const init = {
      type: 'init',
      now: 1,
      maxDevices: 512,
      hashSeed: 0,
      scanOnInit: true,
      capsOff: 0,
      model: 'm',
      firmware: 'f',
      address: 'a',
      epoch: 'e',
    } as const;
    const strings = (s: string) => [1, 0x6d, 1, 0x66, 1, 0x61, 1, 0x65, s.length, ...Buffer.from(s)];
    const head = [0x49, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0];
    const body = (flags: number, s: string) => [...head, flags, 0, ...strings(s)];
    const framed = (b: number[]) => [b.length, 0, 0, 0, ...b];
    expect([...encodeIn({ ...init, source: 'demo', demo: true })]).toEqual(framed(body(3, 'demo')));
    expect([...encodeIn(init)]).toEqual(framed(body(1, 'radio')));
    expect(() => encodeIn({ ...init, source: '' })).toThrow(RangeError);
    expect(() => encodeIn({ ...init, source: 'x'.repeat(33) })).toThrow(RangeError);
    expect([...encodeIn({ type: 'ended', now: 0x0102 })]).toEqual([5, 0, 0, 0, 0x4e, 2, 1, 0, 0]);
  });

  it('cuts messages at a character boundary', () => {
    expect(cutUtf8Bytes('aé€', 4)).toEqual(Uint8Array.from([0x61, 0xc3, 0xa9]));
    expect(cutUtf8Bytes('😀', 3)).toEqual(new Uint8Array(0));
  });

  it('reassembles output split anywhere and refuses what it does not know', () => {
    const stream = Buffer.concat([
      out('o', 7, 0, 0, 0, 1),
      out('f', 7, 0, 0, 0, 0x7b, 0x7d),
      out('c', 7, 0, 0, 0, 0xe9, 0x03, 0x61),
      out('s', 1, 100, 0, 50, 0, 30, 0, 0, 0, 0),
      out('p'),
      out('d', 100, 0, 0, 0),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = new CoreOutReader();
      const got = [...r.push(stream.subarray(0, cut)), ...r.push(stream.subarray(cut))];
      expect(got).toEqual([
        { type: 'open-result', conn: 7, accepted: true },
        { type: 'frame', conn: 7, data: Buffer.from('{}') },
        { type: 'close', conn: 7, code: 1001, reason: 'a' },
        { type: 'scan-start', passive: true, interval: 100, window: 50, duration: 30, duplicates: false },
        { type: 'scan-stop' },
        { type: 'done', waitMs: 100 },
      ]);
      expect(r.pending).toBe(0);
    }
    expect(() => new CoreOutReader().push(out('q'))).toThrow(CoreCodecError);
    expect(() => new CoreOutReader().push(out('d', 1))).toThrow(CoreCodecError);
    const huge = Buffer.alloc(4);
    huge.writeUInt32LE(MAX_BODY_BYTES + 1, 0);
    expect(() => new CoreOutReader().push(huge)).toThrow(CoreCodecError);
  });
});

describe('advert bytes for the core', () => {
  it('passes raw adv and rsp on, and refuses what has no address', () => {
    const r = coreReport({
      addr: 'C8:69:cd:11:22:33',
      addrType: 'random',
      rssi: -58.6,
      conn: true,
      adv: '020106',
      rsp: '03094869',
    });
    expect(r).toEqual({
      addr: Uint8Array.from([0xc8, 0x69, 0xcd, 0x11, 0x22, 0x33]),
      addrType: 1,
      conn: true,
      rssi: -59,
      adv: Uint8Array.from([2, 1, 6]),
      rsp: Uint8Array.from([3, 9, 0x48, 0x69]),
    });
    expect(coreReport({ addr: 'a1b2c3d4e5f6', addrType: 'unknown', rssi: -50, conn: false })).toBeUndefined();
    expect(
      coreReport({ addr: '00:11:22:33:44:55', addrType: 'unknown', rssi: -50, conn: false })?.addrType,
    ).toBe(2);
  });

  it('passes a scan response heard without advertising data on as itself, after empty advertising data', () => {
    // The decoded fields (here the name) are the scan response's own: no advertising payload is made of
    // them. The advertisement still counts and carries conn, as in the engine's table.
    const r = coreReport({
      addr: '02:00:00:00:00:6d',
      addrType: 'random',
      rssi: -56,
      conn: true,
      name: 'rsp only',
      rsp: '0909727370206f6e6c79',
    });
    expect(r).toEqual({
      addr: Uint8Array.from([2, 0, 0, 0, 0, 0x6d]),
      addrType: 1,
      conn: true,
      rssi: -56,
      adv: new Uint8Array(0),
      rsp: Uint8Array.from(Buffer.from('0909727370206f6e6c79', 'hex')),
    });
  });

  it('rebuilds AD structures from fields and packs them into 31-byte payloads', () => {
    const parts = partsFromFields({
      addr: '00:11:22:33:44:55',
      addrType: 'public',
      rssi: -40,
      conn: false,
      name: 'Kitchen',
      tx: -4,
      uuids: ['fea0', '0000180f-0000-1000-8000-00805f9b34fb'.replace(/-/g, '').slice(0, 32)],
      mfr: [[76, '0215aabb']],
      svc: [['fe2c', '01']],
    });
    expect(parts[0]).toEqual([0x09, new TextEncoder().encode('Kitchen')]);
    expect(parts[1]).toEqual([0x0a, [0xfc]]);
    expect(parts).toContainEqual([0xff, [76, 0, 2, 0x15, 0xaa, 0xbb]]);
    expect(parts).toContainEqual([0x16, [0x2c, 0xfe, 1]]);
    const packed = packLegacy(parts);
    expect(packed.adv.length).toBeLessThanOrEqual(31);
    expect(packed.rsp?.length ?? 0).toBeLessThanOrEqual(31);
    const long = packLegacy([
      [0x09, new Uint8Array(20)],
      [0xff, new Uint8Array(20)],
      [0x16, new Uint8Array(40)],
    ]);
    expect(long.adv.length).toBe(22);
    expect(long.rsp?.length).toBe(22);
  });
});

describe('the close-reason watch', () => {
  const close = (reason: number[]) => maskedFrame(0x8, Buffer.from([0x03, 0xe8, ...reason]));
  const text = maskedFrame(0x1, Buffer.from('{"type":"clear"}'));

  it('passes valid close reasons and everything before them', () => {
    const w = new CloseReasonWatch();
    const stream = Buffer.concat([text, close([0x6f, 0x6b])]);
    expect(w.feed(stream)).toBe(stream.length);
    expect(w).toMatchObject({ violation: false, done: true });
  });

  it('finds an invalid reason wherever the chunks are cut, never passing its whole frame on', () => {
    const stream = Buffer.concat([text, close([0x61, 0xff, 0xfe])]);
    for (let cut = 1; cut < stream.length; cut++) {
      const w = new CloseReasonWatch();
      const first = w.feed(stream.subarray(0, cut));
      const passed = w.violation ? first : first + w.feed(stream.subarray(cut));
      expect(w.violation).toBe(true);
      // Bytes of the close frame that came before the verdict have passed; never all of them.
      expect(passed).toBeLessThan(stream.length);
      expect(passed).toBe(cut <= text.length ? text.length : Math.max(cut, text.length));
    }
  });
});
