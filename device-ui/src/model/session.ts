// What the page does with the device's messages: validate every frame, queue it, and fold the queue into
// the model at most once per animation frame. Also the commands the page sends (never queued offline).
import {
  type DownMessage,
  ENDPOINT_PATH,
  encode,
  PROTOCOL_VERSION,
  parseDown,
  SCHEMA_HASH,
  type UpMessage,
} from '@bleshark/shared-protocol';
import { type Connection, connect, socketUrl } from './connection.ts';
import { applyBatch, applySnapshot, dropPartial } from './device-table.ts';
import { deviceFilter } from './filters.ts';
import { refresh } from './list.ts';
import { bump, S } from './store.ts';

/** Per-connection state: the last seq seen, whether a resync is already under way. */
const seqState = { last: -1, resyncing: false };
let queue: DownMessage[] = [];
let scheduled = false;
let conn: Connection | undefined;
let lastEpoch = '';
let cmdId = 0;

/** Folds at once when this many messages wait (rAF does not run in a hidden tab). */
const MAX_QUEUE = 256;

/** Sends a command if the socket is open; otherwise drops it (never queued) and returns false. */
export function send(msg: UpMessage): boolean {
  return conn?.send(encode({ ...msg, id: `c${++cmdId}` })) ?? false;
}

let sentFilter = '{}';

/** Sends the device-applicable filter when it differs from the one this connection has. */
export function syncFilter(): void {
  const f = deviceFilter(S.filter);
  const key = JSON.stringify(f);
  if (key !== sentFilter && send({ type: 'filter', filter: f })) sentFilter = key;
}

/** Validates one frame; invalid ones are counted and shown in the diagnostics corner. */
export function receive(text: string): void {
  const r = parseDown(text);
  if (!r.ok) {
    S.diag.bad++;
    S.diag.err = `${r.code}: ${r.message}`;
    bump();
    return;
  }
  S.diag.frames++;
  queue.push(r.msg);
  if (queue.length >= MAX_QUEUE) fold();
  else if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(fold);
  }
}

/** Applies every queued message, then refreshes the list and the views once. */
export function fold(): void {
  scheduled = false;
  const q = queue;
  queue = [];
  for (const m of q) handle(m);
  if (q.length) {
    refresh(false);
    bump();
  }
}

/** A lost frame: count it and resync with a snapshot (once until the snapshot arrives). */
function gap(): void {
  if (seqState.resyncing) return;
  S.diag.gaps++;
  seqState.resyncing = send({ type: 'snapshot-request' });
}

/** A batch or snapshot seq must follow the previous one. */
function checkSeq(seq: number): void {
  if (seqState.last >= 0 && seq !== seqState.last + 1) gap();
  seqState.last = seq;
}

export function handle(m: DownMessage): void {
  if ('t' in m) {
    S.devT = m.t;
    S.devAt = performance.now();
  }
  switch (m.type) {
    case 'hello':
      S.hello = m;
      S.mismatch = m.protocol !== PROTOCOL_VERSION || m.schema !== SCHEMA_HASH;
      if (lastEpoch && m.epoch !== lastEpoch) S.restarted = true;
      lastEpoch = m.epoch;
      break;
    case 'status':
      S.status = m;
      if (S.hello) S.hello.scan = m.scan;
      // status.seq is the last seq sent: one we have not seen was lost.
      if (seqState.last >= 0 && m.seq > seqState.last) {
        gap();
        seqState.last = m.seq;
      }
      break;
    case 'batch':
      checkSeq(m.seq);
      applyBatch(S.table, m);
      break;
    case 'snapshot':
      checkSeq(m.seq);
      if (applySnapshot(S.table, m)) seqState.resyncing = false;
      break;
    case 'scan-complete':
      S.note = `Scan ended (${m.reason}): ${m.adverts} adverts, ${m.devices} devices ${m.message ?? ''}`;
      if (S.hello) S.hello.scan.scanning = false;
      break;
    case 'error':
      S.note = `${m.code}: ${m.message}`;
      break;
    case 'ack':
      break;
  }
}

/** Starts the socket client for this page's location. */
export function start(): void {
  conn = connect(socketUrl(location, ENDPOINT_PATH), {
    onState(state, retryAt, code) {
      S.conn = state;
      S.retryAt = retryAt;
      if (code) S.closeCode = code;
      if (state !== 'live') {
        // A new connection numbers its frames afresh; a half-received snapshot is useless.
        seqState.last = -1;
        seqState.resyncing = false;
        dropPartial(S.table);
      }
      bump();
    },
    onOpen() {
      S.diag.opens++;
      seqState.last = -1;
      queue = [];
      sentFilter = '{}';
      syncFilter();
    },
    onFrame: receive,
  });
}

/** Reconnects now (the Retry button after a 1008 / 1000 close). */
export const retry = (): void => conn?.retry();

/** For tests: forget the per-connection state. */
export const resetSession = (): void => {
  seqState.last = -1;
  seqState.resyncing = false;
  queue = [];
  lastEpoch = '';
};
