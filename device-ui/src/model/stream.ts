// The page's message stream: validate every frame, queue it, and fold the queue into the model at most once
// per animation frame, each message through its handler (one per type: `DownHandlers`). Also the commands
// the page sends (never queued offline), each pending in `S.pend` until its `ack` or `error` arrives.
import {
  type BatchMessage,
  type DownHandlers,
  type DownMessage,
  ENDPOINT_PATH,
  encode,
  PROTOCOL_VERSION,
  parseDown,
  SCHEMA_HASH,
  type SnapshotMessage,
  type UpMessage,
} from '@bleshark/shared-protocol';
import { actions } from './actions.ts';
import { type Connection, connect, socketUrl } from './connection.ts';
import { applyBatch, applySnapshot, dropPartial } from './device-table.ts';
import { deviceFilter } from './filters.ts';
import { redraw } from './list.ts';
import { bump, S } from './store.ts';

/** Per connection: the last seq seen (-1: none yet) and whether a resync is already under way. */
let last = -1;
let resyncing = false;
let queue: DownMessage[] = [];
let scheduled = false;
let conn: Connection | undefined;
let lastEpoch = '';
let cmdId = 0;
/** The device-applicable filter this connection has (JSON). */
let sentFilter = '{}';

/** How the summary of a finished scan starts (cleared when a new scan starts). */
const ENDED = 'Scan ended';

/** Folds at once when this many messages wait (rAF does not run in a hidden tab). */
const MAX_QUEUE = 256;

/**
 * Sends a command if the socket is open; otherwise drops it (never queued) and returns false. A sent command
 * is pending (`S.pend[type]` holds its id) until the ack or error with that id arrives.
 */
export function send(msg: UpMessage): boolean {
  const id = `c${++cmdId}`;
  const sent = !!conn?.send(encode({ ...msg, id }));
  if (sent) {
    S.pend[msg.type] = id;
    bump();
  }
  return sent;
}

/** Sends the device-applicable filter when it differs from the one this connection has. */
export function syncFilter(): void {
  const filter = deviceFilter(S.filter);
  const key = JSON.stringify(filter);
  if (key !== sentFilter && send({ type: 'filter', filter })) sentFilter = key;
}

/** Validates one frame; invalid ones are counted and shown in the diagnostics corner. */
export function receive(text: string): void {
  const r = parseDown(text);
  if (!r.ok) {
    S.diag.bad++;
    S.diag.err = `${r.code}: ${r.message}`;
    bump();
  } else {
    S.diag.frames++;
    queue.push(r.msg);
    if (queue.length >= MAX_QUEUE) fold();
    else if (!scheduled) scheduled = !!requestAnimationFrame(fold);
  }
}

/** Applies every queued message, then refreshes the list and the views once. */
export function fold(): void {
  scheduled = false;
  const q = queue;
  queue = [];
  q.forEach(handle);
  if (q[0]) {
    // detail.js's (the details follow their device); absent until it has loaded.
    (actions as Partial<typeof actions>).follow?.();
    redraw(false);
  }
}

/** A lost frame: count it and resync with a snapshot (once until the snapshot arrives). */
function gap(): void {
  if (!resyncing) {
    S.diag.gaps++;
    resyncing = send({ type: 'snapshot-request' });
  }
}

/** An answer (ack or error) settles the command with its id: no longer pending. */
function settle(m: { id?: string }): void {
  for (const t in S.pend) if (S.pend[t as 'filter'] === m.id) delete S.pend[t as 'filter'];
}

/** A batch or snapshot: its seq must follow the previous one. */
function frame(m: BatchMessage | SnapshotMessage): void {
  if (last >= 0 && m.seq !== last + 1) gap();
  last = m.seq;
  if (m.type === 'batch') applyBatch(S.table, m);
  else if (applySnapshot(S.table, m)) resyncing = false;
}

const HANDLERS: DownHandlers = {
  hello(m) {
    S.hello = m;
    S.mismatch = m.protocol !== PROTOCOL_VERSION || m.schema !== SCHEMA_HASH;
    if (lastEpoch && m.epoch !== lastEpoch) S.restarted = true;
    lastEpoch = m.epoch;
  },
  status(m) {
    S.status = m;
    // A new scan started: the last one's summary is old news.
    if (m.scan.scanning && S.note?.startsWith(ENDED)) S.note = '';
    if (S.hello) S.hello.scan = m.scan;
    // status.seq is the last seq sent: one we have not seen was lost.
    if (last >= 0 && m.seq > last) {
      gap();
      last = m.seq;
    }
  },
  batch: frame,
  snapshot: frame,
  'scan-complete'(m) {
    S.note = `${ENDED} (${m.reason}): ${m.adverts} adverts, ${m.devices} devices ${m.message ?? ''}`;
    if (S.hello) S.hello.scan.scanning = false;
  },
  error(m) {
    settle(m);
    S.note = `${m.code}: ${m.message}`;
  },
  ack: settle,
};

export function handle(m: DownMessage): void {
  if ('t' in m) {
    S.devT = m.t;
    S.devAt = performance.now();
  }
  // HANDLERS has one handler per type (DownHandlers), so this always finds the one for m.
  (HANDLERS[m.type] as (m: DownMessage) => void)(m);
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
        resetSession(false);
        dropPartial(S.table);
      }
      bump();
    },
    onOpen() {
      // `last`, the filter sent and the pending commands were reset when the previous connection ended.
      S.diag.opens++;
      queue = [];
      syncFilter();
    },
    onFrame: receive,
  });
}

/** Reconnects now (the Retry button after a 1008 / 1000 close). */
export const reconnect = (): void => conn?.reconnect();

/** Forgets the per-connection state; `all` (for tests) also the epoch seen and the queue. */
export function resetSession(all = true): void {
  last = -1;
  resyncing = false;
  // A new connection starts with no filter, and commands sent on a closed one are never answered.
  sentFilter = '{}';
  S.pend = {};
  if (all) {
    lastEpoch = '';
    queue = [];
  }
}
