// The page's one model: plain state, a version counter and one subscription. Views read `S` and call the
// named actions (actions.ts, stream.ts); nothing else changes state.
import type { HelloMessage, StatusMessage, UpMessageType } from '@bleshark/shared-protocol';
import type * as Decoders from '../decode.ts';
import type { Detail as DetailView } from '../views/Detail.tsx';
import type { ConnState } from './connection.ts';
import { type Dev, newTable } from './device-table.ts';
import { NO_FILTER, type UiFilter } from './filters.ts';
import { load } from './persist.ts';
import type { SortKey } from './sort.ts';

export type Diag = {
  /** Valid frames received. */
  frames: number;
  /** Frames that failed parseDown, and the last error. */
  bad: number;
  err: string;
  /** Sequence gaps seen (each one triggered a snapshot request). */
  gaps: number;
  /** Connections opened since the page loaded. */
  opens: number;
};

/** Unset until known or until first set (absent means 0, false or empty); not in the initial literal. */
type Later = {
  /** The decoders (dist/decode.js) once loaded; null when they could not be loaded. */
  dec?: typeof Decoders | null;
  /** The detail view (dist/detail.js), loaded on first open; null when it could not be loaded. */
  det?: typeof DetailView | null;
  hello?: HelloMessage;
  status?: StatusMessage;
  /** The device the detail view follows (follow.ts), kept while it is not in the table. */
  sel?: Dev;
  /** The device's epoch when `sel` was last found in the table. */
  selEpoch?: string;
  /** `sel` is not in the table (out of the device's filter, or not heard since a restart). */
  gone?: boolean;
  /** The device restarted since `sel` was opened. */
  rebooted?: boolean;
  /** The detail view is in locate mode. */
  locate?: boolean;
  /** When the next reconnect attempt happens (Date.now() ms), in state `retry`. */
  retryAt?: number;
  /** The last close code, for the 1008 explanation and the diagnostics. */
  closeCode?: number;
  /** The device restarted (hello.epoch changed) since the page first connected. */
  restarted?: boolean;
  /** The device's protocol version or schema hash differs from the page's. */
  mismatch?: boolean;
  /** The last command error or scan-complete summary. */
  note?: string;
  /** Device uptime (ms) of the newest message, and performance.now() when it arrived. */
  devT?: number;
  devAt?: number;
  /** Ordering frozen by the Pause toggle. */
  paused?: boolean;
  /** The list's order is frozen now (Pause, pointer, focus or a recent scroll; list.ts), shown with "tap to re-sort". */
  frozen?: boolean;
  /** When the baseline was marked (Date.now() ms); 0 or absent: no baseline. */
  baseAt?: number;
  /** performance.now() when the list last scrolled (touch scrolling freezes the order). */
  movedAt?: number;
  /** Locate mode's beeps. */
  sound?: boolean;
};

export const S: ReturnType<typeof initial> & Later = initial();

function initial() {
  return {
    conn: 'connecting' as ConnState,
    diag: { frames: 0, bad: 0, err: '', gaps: 0, opens: 0 } as Diag,
    table: newTable(),
    filter: { ...NO_FILTER } as UiFilter,
    baseline: new Set<string>() as ReadonlySet<string>,
    sort: 'rssi' as SortKey,
    /** The list in display order (filtered). */
    view: [] as Dev[],
    /** Scroll position and height of the list viewport, for windowing. */
    top: 0,
    height: 600,
    /** The scan controls: mode and duration (s, 0 = until stopped) for the next Start. */
    form: { mode: 'active' as 'active' | 'passive', dur: 0 },
    saved: load(),
    /** Commands sent and not yet answered (ack or error): their type -> id. */
    pend: {} as { [T in UpMessageType]?: string },
  };
}

/** The one subscriber (the root view); bump() calls it after every change. */
let listener = (): void => {};
export const subscribe = (f: () => void): void => {
  listener = f;
};

/** Marks the model changed and lets the view know. */
export const bump = (): void => listener();

/**
 * The disabled state and title of a control that needs decode.js (trackers filter, export, locate's sound):
 * enabled once it has loaded; until then the title says it is loading, or that it could not be loaded.
 */
export const needsDec = () => ({
  disabled: !S.dec,
  title: S.dec ? undefined : S.dec === null ? 'decode.js unavailable' : 'Loading…',
});

/** The device's uptime now, estimated from the newest message plus local time since. */
export const deviceNow = (): number => (S.devT ? S.devT + performance.now() - S.devAt! : 0);
