// The device list's keyboard: one Tab stop (a roving tabindex: the row last moved to, else the first row
// in view), arrows, Home / End and PageUp / PageDown move the focus and scroll the list so that the
// focused row stays in the window (the list only renders the rows in view); Enter or Space opens the details.
import { actions } from '../model/actions.ts';
import type { Dev } from '../model/device-table.ts';
import { S } from '../model/store.ts';

/** The device id of the row that is the list's Tab stop, once the keyboard moved. */
let cur: number | undefined;

/** The id of the row that gets tabIndex 0 among the rows rendered (`shown`); `first` is the first in view. */
export function tabStop(shown: Dev[], first: number): number | undefined {
  return shown.some((d) => d.r.id === cur) ? cur : S.view[first]?.r.id;
}

/** The list's keydown (on its body): moves the focus between rows, opens one. */
export function onKey(e: KeyboardEvent, rh: number, measure: () => void): void {
  const el = e.target as HTMLElement;
  const list = el.parentElement!;
  const v = S.view;
  const i = v.findIndex((d) => d.r.id === +el.dataset.id!);
  /** Rows per page: the window's, less one so the focused row's neighbour stays in view. */
  const p = Math.max(1, ((list.clientHeight / rh) | 0) - 1);
  const by = { ArrowDown: 1, ArrowUp: -1, PageDown: p, PageUp: -p, Home: -1e9, End: 1e9 }[e.key];
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    actions.select(v[i]);
  } else if (by) {
    e.preventDefault();
    const j = Math.max(0, Math.min(v.length - 1, i + by));
    cur = v[j]!.r.id;
    // Scroll just enough to have row j in the window, render the window, then focus the row.
    const top = j * rh;
    list.scrollTop = Math.max(Math.min(list.scrollTop, top), top + rh - list.clientHeight);
    measure();
    setTimeout(() => list.querySelector<HTMLElement>(`[data-id="${cur}"]`)?.focus());
  }
}
