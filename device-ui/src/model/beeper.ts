// Locate mode's sound: short beeps whose pitch (and rate) follow the RSSI, via WebAudio. They stop by
// themselves when the sound is switched off or locate mode closes.
import { S } from './store.ts';

let ctx: AudioContext | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let level = -100;

/** 0..70 steps above -100 dBm. */
const steps = (rssi: number): number => Math.max(0, Math.min(70, rssi + 100));
/** Pitch in Hz for an RSSI: -100 dBm -> 200 Hz up to -30 dBm -> 1600 Hz. */
export const pitch = (rssi: number): number => 200 + 20 * steps(rssi);

function beep() {
  if (!ctx || !S.sound || S.locate === undefined) return;
  const o = ctx.createOscillator();
  const g = ctx.createGain();
  o.frequency.value = pitch(level);
  g.gain.value = 0.15;
  o.connect(g).connect(ctx.destination);
  o.start();
  o.stop(ctx.currentTime + 0.06);
  timer = setTimeout(beep, 700 - 8 * steps(level));
}

/** Turns the beeping on or off (must be called from a user gesture to start). */
export function setBeep(on: boolean): void {
  clearTimeout(timer);
  if (on) {
    ctx ??= new AudioContext();
    void ctx.resume();
    beep();
  }
}

/** The RSSI the beeps follow. */
export const beepLevel = (rssi: number): void => {
  level = rssi;
};
