// The named actions of the tools that extras.js adds (filters, sort, pause, pins, aliases, scan control).
// They act on the page's one model through the API it passed to `mount`, like the page's own actions.
import type { UiFilter } from '../model/filters.ts';
import type { SortKey } from '../model/sort.ts';
import { A } from './api.ts';

/** The filter command waits this long after the last change (the slider fires on every step). */
export const FILTER_DEBOUNCE_MS = 400;
let filterTimer: ReturnType<typeof setTimeout> | undefined;

/** Re-filters / re-sorts now and re-renders. */
const now = (): void => {
  A.refresh(true);
  A.bump();
};

const saveNow = (): void => {
  A.save(A.S.saved);
  now();
};

export const tools = {
  setFilter(patch: Partial<UiFilter>): void {
    Object.assign(A.S.filter, patch);
    clearTimeout(filterTimer);
    filterTimer = setTimeout(A.syncFilter, FILTER_DEBOUNCE_MS);
    now();
  },

  /** "Hide everything I can see now": remembers every current address and turns the filter on. */
  markBaseline(): void {
    A.S.baseline = new Set([...A.S.table.m.values()].map((d) => d.r.addr));
    tools.setFilter({ onlyNew: true });
  },

  setSort(sort: SortKey): void {
    A.S.sort = sort;
    now();
  },

  /** The Pause toggle freezes the order; resuming re-sorts at once. */
  setPaused(paused: boolean): void {
    A.S.paused = paused;
    now();
  },

  togglePin(addr: string): void {
    const { saved } = A.S;
    saved.pins = saved.pins.includes(addr) ? saved.pins.filter((a) => a !== addr) : [...saved.pins, addr];
    saveNow();
  },

  setAlias(addr: string, name: string): void {
    const a = name.trim().slice(0, 64);
    if (a) A.S.saved.aliases[addr] = a;
    else delete A.S.saved.aliases[addr];
    saveNow();
  },

  setForm(patch: Partial<typeof A.S.form>): void {
    Object.assign(A.S.form, patch);
    A.bump();
  },

  /** Commands are sent only while connected (the buttons are disabled otherwise), never queued. */
  startScan(): void {
    const { mode, dur } = A.S.form;
    A.send({ type: 'scan-start', mode, duration: Math.max(0, Math.min(86400, Math.floor(dur) || 0)) });
  },

  stopScan(): void {
    A.send({ type: 'scan-stop' });
  },
};
