import { EventEmitter } from 'node:events';
import { CLOSE_TRY_LATER } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Liveness } from './liveness.js';

/** The few parts of a ws WebSocket that Liveness uses. */
class FakeWs extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  pings = 0;
  terminated = false;
  closedWith: [number, string] | undefined;
  ping(): void {
    this.pings++;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = WebSocket.CLOSED;
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    this.readyState = WebSocket.CLOSING;
  }
}

function setup() {
  const ws = new FakeWs();
  let t = 0;
  const logs: string[] = [];
  const liveness = new Liveness({
    ws: ws as unknown as WebSocket,
    client: 3,
    timing: { pongTimeoutMs: 1000, stuckClientMs: 500, maxBufferedBytes: 100 },
    log: (level, message) => logs.push(`${level}: ${message}`),
    now: () => t,
  });
  const advance = (ms: number) => {
    t += ms;
  };
  return { ws, liveness, advance, logs };
}

describe('liveness', () => {
  it('pings while pongs come back and terminates a peer whose last pong is older than the timeout', () => {
    const { ws, liveness, advance, logs } = setup();
    liveness.heartbeat();
    advance(900);
    ws.emit('pong');
    advance(900);
    liveness.heartbeat();
    expect(ws.pings).toBe(2);
    expect(ws.terminated).toBe(false);
    advance(101);
    liveness.heartbeat();
    expect(ws.terminated).toBe(true);
    expect(logs).toContain('info: client 3: no pong, terminated');
  });

  it('is not ready while the socket is over the threshold, and closes with 1013 once it stayed there stuckClientMs', () => {
    const { ws, liveness, advance } = setup();
    expect(liveness.check()).toBe(true);
    ws.bufferedAmount = 100;
    expect(liveness.check()).toBe(false);
    expect(liveness.ready).toBe(false);
    advance(499);
    liveness.check();
    expect(ws.closedWith).toBeUndefined();
    // Draining in between starts the count again.
    ws.bufferedAmount = 0;
    expect(liveness.check()).toBe(true);
    ws.bufferedAmount = 100;
    liveness.check();
    advance(499);
    liveness.check();
    expect(ws.closedWith).toBeUndefined();
    advance(1);
    liveness.check();
    expect(ws.closedWith).toEqual([CLOSE_TRY_LATER, 'not reading: reconnect and resync']);
    expect(liveness.closing).toBe(true);
    expect(liveness.ready).toBe(false);
  });

  it('closes once, however often it is asked', () => {
    const { ws, liveness } = setup();
    liveness.close(1001, 'bye');
    liveness.close(1000, 'again');
    expect(ws.closedWith).toEqual([1001, 'bye']);
    liveness.dispose();
  });
});
