// Locate mode's sound: short beeps whose pitch and rate follow the RSSI, via WebAudio: 200 Hz every 700 ms
// at -100 dBm up to 1600 Hz every 140 ms at -30 dBm. Part of the lazily loaded decode.js (src/decode.ts):
// locate mode works without it, silently. The page switches it off when locate mode closes.
import { level } from './device-table.ts';

let ctx: AudioContext | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let on = false;
/** The level (0..1) the beeps follow. */
let at = 0;

function beep() {
  if (!ctx || !on) return;
  const o = ctx.createOscillator();
  const g = ctx.createGain();
  o.frequency.value = 200 + 1400 * at;
  g.gain.value = 0.15;
  o.connect(g).connect(ctx.destination);
  o.start();
  o.stop(ctx.currentTime + 0.06);
  timer = setTimeout(beep, 700 - 560 * at);
}

/** Turns the beeping on or off (must be called from a user gesture to start). */
export function setBeep(v: boolean): void {
  on = v;
  clearTimeout(timer);
  if (v) {
    ctx ??= new AudioContext();
    void ctx.resume();
    beep();
  }
}

/** The RSSI the beeps follow. */
export const beepLevel = (rssi: number): void => {
  at = level(rssi);
};
