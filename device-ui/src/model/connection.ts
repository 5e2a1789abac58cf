// The socket client: connects to the device, reconnects with backoff, watches for silence and follows the
// browser's online/offline/visibility events. It knows nothing about messages; frames go to `onFrame`.
// Commands are never queued: `send` returns false while there is no open socket.
import { CLOSE_POLICY, CLOSE_TRY_LATER, SILENCE_TIMEOUT_MS } from '@bleshark/shared-protocol';
import { backoffDelay, longDelay, REFUSED_AFTER, SLOW_AFTER, SLOW_MS, STABLE_MS } from './backoff.ts';

/**
 * connecting: socket opening; live: open; retry: waiting `retryAt` before the next attempt; refused: after
 * REFUSED_AFTER failures to open in a row, waiting or opening (never `connecting` then, so the explanation
 * stays up); offline: the browser is offline;
 * hidden: closed while the tab is in the background; stopped: 1000/1008, waits for Retry.
 */
export type ConnState = 'connecting' | 'live' | 'retry' | 'refused' | 'offline' | 'hidden' | 'stopped';

export type ConnHandlers = {
  onState: (state: ConnState, retryAt: number, code?: number) => void;
  onOpen: () => void;
  onFrame: (text: string) => void;
};

/** Close a hidden tab's socket after this long, so a background tab never stalls the device's queue. */
export const HIDDEN_CLOSE_MS = 10000;

export type Connection = { send: (text: string) => boolean; reconnect: () => void };

/** The live-socket URL for a page location: same host, ws or wss, the page's `?token=` passed through. */
export function socketUrl(loc: { protocol: string; host: string; search: string }, path: string): string {
  const token = new URLSearchParams(loc.search).get('token');
  return `ws${loc.protocol === 'https:' ? 's' : ''}://${loc.host}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function connect(url: string, h: ConnHandlers): Connection {
  let ws: WebSocket | undefined;
  let attempt = 0;
  /** Failures to open in a row (4003). */
  let fails = 0;
  let openedAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let silence: ReturnType<typeof setTimeout> | undefined;
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  /** (Re)starts the silence watch: no frame for SILENCE_TIMEOUT_MS drops the socket (code 4000). */
  const arm = () => {
    clearTimeout(silence);
    silence = setTimeout(drop, SILENCE_TIMEOUT_MS, 4000);
  };

  function open() {
    clearTimeout(timer);
    if (ws) return;
    if (!navigator.onLine) return h.onState('offline', 0);
    h.onState(fails < REFUSED_AFTER ? 'connecting' : 'refused', 0);
    const s = new WebSocket(url);
    ws = s;
    s.onopen = () => {
      openedAt = Date.now();
      arm();
      h.onState('live', 0);
      h.onOpen();
    };
    s.onmessage = (e) => {
      arm();
      if (typeof e.data === 'string') h.onFrame(e.data);
    };
    // Never opened: refused at the handshake (HTTP 403: wrong ?token=, foreign origin) or unreachable; the
    // browser only says 1006 then, so the page reports its own 4003.
    s.onclose = (e) => ws === s && drop(openedAt ? e.code : 4003);
  }

  /**
   * Forgets the socket (closing it if still open) and decides what comes next. Codes 4000-4003 are the
   * page's own: silence, browser offline, tab hidden, closed before it opened (retried with backoff, explained
   * as `refused` after a few in a row, slowly after many).
   */
  function drop(code: number, next?: ConnState) {
    const s = ws;
    ws = undefined;
    clearTimeout(timer);
    clearTimeout(silence);
    if (s) {
      s.onclose = s.onmessage = s.onopen = null;
      if (s.readyState < 2) s.close(code >= 4000 ? code : 1000);
    }
    if (openedAt && Date.now() - openedAt >= STABLE_MS) attempt = 0;
    openedAt = 0;
    stopped ||= code === CLOSE_POLICY || code === 1000;
    fails = code === 4003 ? fails + 1 : 0;
    if (!next && !stopped && navigator.onLine) {
      const delay =
        code === CLOSE_TRY_LATER ? longDelay() : fails < SLOW_AFTER ? backoffDelay(attempt++) : SLOW_MS;
      timer = setTimeout(open, delay);
      return h.onState(fails < REFUSED_AFTER ? 'retry' : 'refused', Date.now() + delay, code);
    }
    h.onState(next ?? (stopped ? 'stopped' : 'offline'), 0, code);
  }

  addEventListener('offline', () => drop(4001, 'offline'));
  addEventListener('online', () => stopped || open());
  document.addEventListener('visibilitychange', () => {
    clearTimeout(hiddenTimer);
    if (document.hidden) hiddenTimer = setTimeout(drop, HIDDEN_CLOSE_MS, 4002, 'hidden');
    else if (!stopped) open();
  });
  open();

  return {
    send: (text) => {
      const open = ws?.readyState === 1;
      if (open) ws?.send(text);
      return open;
    },
    reconnect: () => {
      stopped = false;
      attempt = 0;
      open();
    },
  };
}
