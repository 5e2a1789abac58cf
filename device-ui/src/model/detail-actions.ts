// The actions only the detail view and locate mode use. They are bundled into detail.js (src/lazy/detail.tsx),
// not the page, and added to `actions` when it loads: before that no detail view is open to call them.
import { follow } from './follow.ts';
import { redraw } from './list.ts';
import { save } from './persist.ts';
import { bump, S } from './store.ts';

const saveNow = (): void => {
  save(S.saved);
  redraw(true);
};

export const detailActions = {
  /** Finds the followed device again after the table changed (the stream calls it after each fold). */
  follow,

  /** Turns locate mode on or off; off also silences it. */
  locate(on: boolean): void {
    S.locate = on;
    if (!on) detailActions.setSound(false);
    bump();
  },

  /** Locate mode's beeps on or off (switching on must happen in a user gesture; needs decode.js). */
  setSound(on: boolean): void {
    S.sound = on;
    S.dec?.setBeep(on);
    bump();
  },

  togglePin(addr: string): void {
    const { saved } = S;
    saved.pins = saved.pins.includes(addr) ? saved.pins.filter((a) => a !== addr) : [...saved.pins, addr];
    saveNow();
  },

  setAlias(addr: string, name: string): void {
    const a = name.trim().slice(0, 64);
    if (a) S.saved.aliases[addr] = a;
    else delete S.saved.aliases[addr];
    saveNow();
  },
};
