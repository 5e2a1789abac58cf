import { encode, PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { S } from './store.ts';
import { fold, handle, receive, resetSession, send, start, syncFilter } from './stream.ts';

const hello = (epoch: string, protocol = PROTOCOL_VERSION, schema = SCHEMA_HASH) => ({
  type: 'hello' as const,
  protocol,
  schema,
  device: { model: 'Nano', firmware: '1.0', address: '02:00:00:00:00:01', source: 'demo', demo: true },
  epoch,
  client: 1,
  t: 10,
  limits: {
    maxInboundBytes: 1024,
    maxFrameBytes: 4096,
    maxBatchItems: 128,
    maxClients: 4,
    maxDevices: 512,
    commandsPerSecond: 10,
    commandBurst: 20,
    batchIntervalMs: 200,
    statusIntervalMs: 2000,
  },
  caps: [],
  scan: {
    scanning: true,
    mode: 'active' as const,
    interval: 100,
    window: 100,
    duration: 0,
    duplicates: true,
  },
});
const rec = (id: number) => ({
  id,
  addr: `aa:bb:cc:dd:ee:0${id}`,
  addrType: 'random' as const,
  rssi: -60,
  conn: true,
  first: 0,
  last: 0,
  count: 1,
});

globalThis.requestAnimationFrame ??= (f: FrameRequestCallback) =>
  setTimeout(() => f(0), 0) as unknown as number;

describe('stream', () => {
  beforeEach(() => {
    resetSession();
    S.diag = { frames: 0, bad: 0, err: '', gaps: 0, opens: 0 };
    S.restarted = false;
  });

  it('counts invalid frames with the last error and never throws', () => {
    for (const bad of ['not json', '\u0000', '[]', '{"type":"nope"}', '{"type":"batch","seq":-1,"t":0}'])
      expect(() => receive(bad)).not.toThrow();
    expect(S.diag.bad).toBe(5);
    expect(S.diag.err).toMatch(/^invalid-field: seq/);
  });

  it('validates, queues and folds valid frames into the table', () => {
    receive(
      encode({
        type: 'snapshot',
        seq: 1,
        t: 5,
        reason: 'connect',
        total: 2,
        more: false,
        d: [rec(1), rec(2)],
      }),
    );
    receive(encode({ type: 'batch', seq: 2, t: 6, u: [[1, -40]] }));
    fold();
    expect(S.diag.frames).toBe(2);
    expect([...S.table.m.keys()]).toEqual([1, 2]);
    expect(S.table.m.get(1)!.r.rssi).toBe(-40);
  });

  it('counts a seq gap once until the resync arrives', () => {
    handle({ type: 'batch', seq: 1, t: 1 });
    handle({ type: 'batch', seq: 2, t: 1 });
    expect(S.diag.gaps).toBe(0);
    handle({ type: 'batch', seq: 5, t: 1 });
    expect(S.diag.gaps).toBe(1);
    handle({ type: 'batch', seq: 6, t: 1 });
    expect(S.diag.gaps).toBe(1);
  });

  it('treats a status whose seq is ahead of the last frame as a gap', () => {
    handle({ type: 'batch', seq: 3, t: 1 });
    handle({ type: 'batch', seq: 4, t: 1 });
    const status = {
      type: 'status' as const,
      t: 2,
      scan: hello('a').scan,
      filter: {},
      rate: 1,
      devices: 0,
      shown: 0,
      drops: 0,
      coalesced: 0,
      evicted: 0,
      clients: 1,
    };
    handle({ ...status, seq: 4 });
    expect(S.diag.gaps).toBe(0);
    handle({ ...status, seq: 6 });
    expect(S.diag.gaps).toBe(1);
  });

  it('notices a device restart (new epoch) and a version mismatch', () => {
    handle(hello('one'));
    expect(S.restarted).toBe(false);
    expect(S.mismatch).toBe(false);
    handle(hello('one'));
    expect(S.restarted).toBe(false);
    handle(hello('two', PROTOCOL_VERSION + 1));
    expect(S.restarted).toBe(true);
    expect(S.mismatch).toBe(true);
  });
});

/** A socket that opens when told and keeps what the page sent. */
class FakeSocket {
  static last: FakeSocket;
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: unknown = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor() {
    FakeSocket.last = this;
  }
  send(s: string) {
    this.sent.push(JSON.parse(s));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
}

describe('commands pending until their answer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('addEventListener', () => {});
    vi.stubGlobal('document', { hidden: false, addEventListener: () => {} });
    vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1', search: '' });
    resetSession();
    S.note = '';
    S.filter.minRssi = -110;
    start();
    FakeSocket.last.open();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const sentFilter = () => {
    S.filter.minRssi = -70;
    syncFilter();
    const cmd = FakeSocket.last.sent.at(-1) as { type: string; id: string };
    expect(cmd).toMatchObject({ type: 'filter', filter: { minRssi: -70 } });
    return cmd.id;
  };

  it('shows a filter as pending until the ack with its id arrives', () => {
    const id = sentFilter();
    expect(S.pend.filter).toBe(id);
    handle({ type: 'ack', id: 'someone-else', command: 'filter' });
    expect(S.pend.filter).toBe(id);
    handle({ type: 'ack', id, command: 'filter' });
    expect(S.pend.filter).toBeUndefined();
    expect(S.note).toBe('');
  });

  it('settles a command answered with an error and shows the error', () => {
    const id = sentFilter();
    handle({ type: 'error', code: 'unsupported', message: 'this device cannot filter', id });
    expect(S.pend.filter).toBeUndefined();
    expect(S.note).toBe('unsupported: this device cannot filter');
  });

  it('keeps a newer command pending when the answer to an older one arrives', () => {
    expect(send({ type: 'scan-stop' })).toBe(true);
    const first = S.pend['scan-stop'];
    expect(send({ type: 'scan-stop' })).toBe(true);
    const second = S.pend['scan-stop'];
    expect(second).not.toBe(first);
    handle({ type: 'ack', id: first as string, command: 'scan-stop' });
    expect(S.pend['scan-stop']).toBe(second);
  });

  it('forgets pending commands when the connection ends (they are never answered)', () => {
    sentFilter();
    expect(send({ type: 'scan-start', mode: 'active' })).toBe(true);
    expect(Object.keys(S.pend).sort()).toEqual(['filter', 'scan-start']);
    FakeSocket.last.onclose?.({ code: 1006 });
    expect(S.pend).toEqual({});
  });

  it('clears "Scan ended" when a new scan starts', () => {
    const status = {
      type: 'status' as const,
      seq: 0,
      t: 2,
      scan: { ...hello('a').scan, scanning: false },
      filter: {},
      rate: 1,
      devices: 0,
      shown: 0,
      drops: 0,
      coalesced: 0,
      evicted: 0,
      clients: 1,
    };
    handle(hello('a'));
    handle({ type: 'scan-complete', t: 3, reason: 'duration', adverts: 5, devices: 2, ms: 1000 });
    handle(status);
    expect(S.note).toMatch(/^Scan ended/);
    handle({ ...status, scan: { ...status.scan, scanning: true } });
    expect(S.note).toBe('');
  });
});
