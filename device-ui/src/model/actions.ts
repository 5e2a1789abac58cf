// The named actions the views call (one object, so extras.js receives them all at once). Each changes the
// model, then bumps it once.
import type { UiFilter } from './filters.ts';
import { refresh } from './list.ts';
import { save } from './persist.ts';
import { retry, send, syncFilter } from './session.ts';
import type { SortKey } from './sort.ts';
import { bump, S } from './store.ts';

/** The filter command waits this long after the last change (the slider fires on every step). */
export const FILTER_DEBOUNCE_MS = 400;
let filterTimer: ReturnType<typeof setTimeout> | undefined;

/** Re-filters / re-sorts now and re-renders. */
const now = (): void => {
  refresh(true);
  bump();
};

export const actions = {
  setFilter(patch: Partial<UiFilter>): void {
    Object.assign(S.filter, patch);
    clearTimeout(filterTimer);
    filterTimer = setTimeout(syncFilter, FILTER_DEBOUNCE_MS);
    now();
  },

  /** "Hide everything I can see now": remembers every current address and turns the filter on. */
  markBaseline(): void {
    S.baseline = new Set([...S.table.m.values()].map((d) => d.r.addr));
    actions.setFilter({ onlyNew: true });
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

  /** Pointer (p) or focus (f) entered / left the list: freeze / unfreeze the order. */
  setInList(how: 'p' | 'f', on: boolean): void {
    S.inList[how] = on;
  },

  scrolled(top: number, height: number): void {
    S.top = top;
    S.height = height;
    bump();
  },

  /** Opens (or with undefined closes) the detail view. */
  select(id: number | undefined): void {
    S.sel = id;
    bump();
  },

  /** Opens (or with undefined closes) locate mode; closing also silences it. */
  locate(id: number | undefined): void {
    S.locate = id;
    if (id === undefined) S.sound = false;
    bump();
  },

  togglePin(addr: string): void {
    const p = S.saved.pins;
    S.saved.pins = p.includes(addr) ? p.filter((a) => a !== addr) : [...p, addr];
    save(S.saved);
    now();
  },

  setAlias(addr: string, name: string): void {
    const a = name.trim().slice(0, 64);
    if (a) S.saved.aliases[addr] = a;
    else delete S.saved.aliases[addr];
    save(S.saved);
    bump();
  },

  setForm(patch: Partial<typeof S.form>): void {
    Object.assign(S.form, patch);
    bump();
  },

  startScan(): void {
    const { mode, dur } = S.form;
    send({ type: 'scan-start', mode, duration: Math.max(0, Math.min(86400, Math.floor(dur) || 0)) });
  },

  stopScan(): void {
    send({ type: 'scan-stop' });
  },

  /** Reconnects now (the Retry button after a 1008 / 1000 close). */
  retry,

  dismiss(what: 'restarted' | 'note'): void {
    if (what === 'restarted') S.restarted = false;
    else S.note = '';
    bump();
  },
};
