// The page's named actions, in one object. Each changes the model, then re-renders once (`bump`, or `now`
// when the list must be re-filtered / re-sorted at once).
import type { detailActions } from './detail-actions.ts';
import type { Dev } from './device-table.ts';
import type { UiFilter } from './filters.ts';
import { pick } from './follow.ts';
import { need } from './lazy.ts';
import { redraw } from './list.ts';
import type { SortKey } from './sort.ts';
import { bump, S } from './store.ts';
import { reconnect, send, syncFilter } from './stream.ts';

/** The filter command waits this long after the last change (the slider fires on every step). */
export const FILTER_DEBOUNCE_MS = 400;
let filterTimer: ReturnType<typeof setTimeout> | undefined;

/** Re-filters / re-sorts now and re-renders. */
const now = (): void => redraw(true);

/**
 * Every named action. Those only the details use (locate, sound, pin, alias, follow: detail-actions.ts) are
 * bundled into detail.js and added here when it loads; before that no detail view is open to call them.
 */
const base = {
  scrolled(top: number, height: number): void {
    S.top = top;
    S.height = height;
    bump();
  },

  /** Opens (or with undefined closes) the detail view, loading detail.js first (again if it failed). */
  select(d: Dev | undefined): void {
    pick(d);
    if (d)
      need('detail', (m) => {
        S.det = m ? m.Detail : null;
      });
    bump();
  },

  /** Reconnects now (the Retry button after a 1008 / 1000 close). */
  reconnect,

  dismiss(what: 'restarted' | 'note'): void {
    if (what === 'restarted') S.restarted = false;
    else S.note = '';
    bump();
  },

  setFilter(patch: Partial<UiFilter>): void {
    Object.assign(S.filter, patch);
    clearTimeout(filterTimer);
    filterTimer = setTimeout(syncFilter, FILTER_DEBOUNCE_MS);
    now();
  },

  /** "Hide everything I can see now": remembers every current address and when, and turns the filter on. */
  markBaseline(): void {
    S.baseline = new Set([...S.table.m.values()].map((d) => d.r.addr));
    S.baseAt = Date.now();
    actions.setFilter({ onlyNew: true });
  },

  /** Forgets the baseline and turns its filter off. */
  resetBaseline(): void {
    S.baseline = new Set();
    S.baseAt = 0;
    actions.setFilter({ onlyNew: false });
  },

  /** "Order frozen · tap to re-sort": re-sorts once now, frozen or not. */
  resort: now,

  /** Empties the device's table (every client's list), after the user confirms. */
  clear(): void {
    if (
      confirm(
        `Clear the device's list of ${S.status?.devices ?? S.table.m.size} devices for everyone connected?`,
      )
    )
      send({ type: 'clear' });
  },

  setSort(sort: SortKey): void {
    S.sort = sort;
    now();
  },

  /** The Pause toggle freezes the order; resuming re-sorts at once. */
  setPaused(paused: boolean): void {
    S.paused = paused;
    now();
  },

  setForm(patch: Partial<typeof S.form>): void {
    Object.assign(S.form, patch);
    bump();
  },

  /** Commands are sent only while connected (the buttons are disabled otherwise), never queued. */
  startScan(): void {
    const { mode, dur } = S.form;
    send({ type: 'scan-start', mode, duration: Math.max(0, Math.min(86400, Math.floor(dur) || 0)) });
  },

  stopScan(): void {
    send({ type: 'scan-stop' });
  },
};

export const actions = base as typeof base & typeof detailActions;
