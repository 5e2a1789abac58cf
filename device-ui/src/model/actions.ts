// The page's named actions (one object, so extras.js receives them all at once). Each changes the model,
// then bumps it once. The tools that arrive with extras.js add theirs in extras/actions.ts.
import { retry } from './session.ts';
import { bump, S } from './store.ts';

export const actions = {
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

  /** Reconnects now (the Retry button after a 1008 / 1000 close). */
  retry,

  dismiss(what: 'restarted' | 'note'): void {
    if (what === 'restarted') S.restarted = false;
    else S.note = '';
    bump();
  },
};
