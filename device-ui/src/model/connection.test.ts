// The socket client with a stand-in WebSocket and fake timers: backoff, close codes, silence, no queueing.
import { PROTOCOL } from '@bleshark/shared-protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE_MS, CAP_MS, LONG_MIN_MS, LONG_SPAN_MS, REFUSED_AFTER, SLOW_AFTER, SLOW_MS } from './backoff.ts';
import { type ConnState, connect, socketUrl } from './connection.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closed?: number;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(s: string) {
    this.sent.push(s);
  }
  close(code: number) {
    this.closed = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

const last = () => FakeSocket.all.at(-1)!;
const listeners: Record<string, () => void> = {};

describe('connection', () => {
  let states: ConnState[];
  let frames: string[];
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    states = [];
    frames = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('addEventListener', (t: string, f: () => void) => {
      listeners[t] = f;
    });
    vi.stubGlobal('document', {
      hidden: false,
      addEventListener: (t: string, f: () => void) => (listeners[t] = f),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const start = () =>
    connect('ws://x/scan/live', {
      onState: (s) => states.push(s),
      onOpen: () => {},
      onFrame: (f) => frames.push(f),
    });

  it('derives the socket URL from the page location and passes ?token= through', () => {
    // A pure string function: nothing connects. The Nano's own host is an IPv4 literal; a name stands in here.
    expect(socketUrl({ protocol: 'http:', host: 'bleshark.local', search: '' }, '/scan/live')).toBe(
      'ws://bleshark.local/scan/live',
    );
    expect(socketUrl({ protocol: 'https:', host: 'h:8443', search: '?a=1&token=a b&' }, '/scan/live')).toBe(
      'wss://h:8443/scan/live?token=a%20b',
    );
  });

  it('never queues commands while disconnected', () => {
    const c = start();
    expect(c.send('{"type":"scan-stop"}')).toBe(false);
    last().open();
    expect(c.send('{"type":"scan-stop"}')).toBe(true);
    expect(last().sent).toEqual(['{"type":"scan-stop"}']);
  });

  it('reconnects after a drop within the capped backoff', () => {
    start();
    for (let i = 0; i < 6; i++) {
      // Each socket opens, then drops (failures to open in a row are slowed down: see `refused`).
      last().open();
      last().drop(1006);
      expect(states.at(-1)).toBe('retry');
      vi.advanceTimersByTime(CAP_MS);
      expect(FakeSocket.all).toHaveLength(i + 2);
    }
  });

  it('reports a socket that closed before it opened as 4003 (a refused handshake), and keeps retrying', () => {
    const seen: [ConnState, number | undefined][] = [];
    connect('ws://x/scan/live', {
      onState: (s, _t, code) => seen.push([s, code]),
      onOpen: () => {},
      onFrame: () => {},
    });
    last().drop(1006); // what the browser reports after an HTTP 403 to the upgrade
    expect(seen.at(-1)).toEqual(['retry', 4003]);
    vi.advanceTimersByTime(CAP_MS);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    last().drop(1006); // an open socket that drops keeps its code
    expect(seen.at(-1)).toEqual(['retry', 1006]);
  });

  it('after REFUSED_AFTER failures to open in a row says so (refused) and stays so, slowing down after SLOW_AFTER', () => {
    const seen: [ConnState, number | undefined][] = [];
    const c = connect('ws://x/scan/live', {
      onState: (s, _t, code) => seen.push([s, code]),
      onOpen: () => {},
      onFrame: () => {},
    });
    for (let i = 1; i < REFUSED_AFTER; i++) {
      last().drop(1006);
      expect(seen.at(-1)).toEqual(['retry', 4003]);
      vi.advanceTimersByTime(CAP_MS);
    }
    last().drop(1006);
    expect(seen.at(-1)).toEqual(['refused', 4003]);
    // Still the quick retries (a restarting device is back at once), and the next attempt stays `refused`
    // while it opens, so the explanation does not flicker.
    vi.advanceTimersByTime(CAP_MS);
    expect(FakeSocket.all).toHaveLength(REFUSED_AFTER + 1);
    expect(seen.at(-1)).toEqual(['refused', undefined]);
    for (let i = REFUSED_AFTER + 1; i < SLOW_AFTER; i++) {
      last().drop(1006);
      vi.advanceTimersByTime(CAP_MS);
    }
    expect(FakeSocket.all).toHaveLength(SLOW_AFTER);
    const from = seen.findIndex(([s]) => s === 'refused');
    expect(new Set(seen.slice(from).map(([s]) => s))).toEqual(new Set(['refused']));
    // From SLOW_AFTER on, one attempt every SLOW_MS.
    last().drop(1006);
    vi.advanceTimersByTime(SLOW_MS - 1);
    expect(FakeSocket.all).toHaveLength(SLOW_AFTER);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(SLOW_AFTER + 1);
    // Retry tries at once; once a socket opens, the count starts again.
    last().drop(1006);
    c.reconnect();
    expect(FakeSocket.all).toHaveLength(SLOW_AFTER + 2);
    last().open();
    last().drop(1006);
    expect(seen.at(-1)).toEqual(['retry', 1006]);
    vi.advanceTimersByTime(CAP_MS);
    expect(seen.at(-1)).toEqual(['connecting', undefined]);
    last().drop(1006);
    expect(seen.at(-1)).toEqual(['retry', 4003]);
  });

  it('stops and waits for Retry after 1008', () => {
    const c = start();
    last().open();
    last().drop(1008);
    expect(states.at(-1)).toBe('stopped');
    vi.advanceTimersByTime(60000);
    expect(FakeSocket.all).toHaveLength(1);
    c.reconnect();
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('backs off 15-30 s after 1013', () => {
    start();
    last().open();
    last().drop(1013);
    vi.advanceTimersByTime(LONG_MIN_MS - 1);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(LONG_SPAN_MS + 1);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('reconnects when the device goes silent', () => {
    start();
    last().open();
    vi.advanceTimersByTime(PROTOCOL.silenceTimeoutMs - 100);
    last().onmessage?.({ data: '{}' });
    vi.advanceTimersByTime(PROTOCOL.silenceTimeoutMs - 100);
    expect(last().closed).toBeUndefined();
    vi.advanceTimersByTime(200);
    expect(FakeSocket.all[0]!.closed).toBe(4000);
    vi.advanceTimersByTime(CAP_MS);
    expect(FakeSocket.all).toHaveLength(2);
    expect(frames).toEqual(['{}']);
  });

  it('follows offline/online: no retries while offline, at once when back', () => {
    start();
    last().open();
    vi.stubGlobal('navigator', { onLine: false });
    listeners.offline!();
    expect(states.at(-1)).toBe('offline');
    vi.advanceTimersByTime(60000);
    expect(FakeSocket.all).toHaveLength(1);
    vi.stubGlobal('navigator', { onLine: true });
    listeners.online!();
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('resets the backoff only after a stable connection', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    start();
    last().open();
    for (let i = 0; i < 4; i++) {
      last().drop(1006);
      vi.advanceTimersByTime(CAP_MS);
      last().open();
    }
    for (let i = 0; i < 2; i++) {
      vi.advanceTimersByTime(5000); // heartbeats keep it up: stable after 10 s
      last().onmessage?.({ data: '{}' });
    }
    const t0 = Date.now();
    last().drop(1006);
    const before = FakeSocket.all.length;
    vi.advanceTimersByTime(BASE_MS);
    expect(FakeSocket.all.length).toBe(before + 1);
    expect(Date.now() - t0).toBe(BASE_MS);
  });
});
