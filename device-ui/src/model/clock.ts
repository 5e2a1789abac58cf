// Device uptime <-> wall clock. The device has no clock: every message carries its uptime `t` (ms), and the
// newest one (S.devT, received at S.devAt; status arrives every second) anchors the mapping: uptime `u`
// happened deviceNow() - u ms ago. Times shown and exported are the phone's clock, never uptime.
import { hhmm } from './stamp.ts';
import { deviceNow, S } from './store.ts';

export { fileStamp, hhmm } from './stamp.ts';

/** Wall-clock ms (Date.now()'s scale) of device uptime 0; undefined until a message with `t` arrived. */
export const wallOffset = (): number | undefined => (S.devT ? Date.now() - deviceNow() : undefined);

/** The wall-clock time (ms since 1970) of device uptime `u`; undefined while unknown. */
export const wallOf = (u: number): number | undefined => {
  const o = wallOffset();
  return o === undefined ? undefined : o + u;
};

/** A duration as "now", "12 s ago", "2 min ago", "3 h ago", "2 d ago". */
export const agoText = (ms: number): string =>
  ms < 1000
    ? 'now'
    : `${ms < 6e4 ? `${(ms / 1e3) | 0} s` : ms < 36e5 ? `${(ms / 6e4) | 0} min` : ms < 864e5 ? `${(ms / 36e5) | 0} h` : `${(ms / 864e5) | 0} d`} ago`;

/** Device uptime `u` as "2 min ago · 14:03" (relative to the device's now, and the local clock); '' while unknown. */
export const when = (u: number): string => {
  const w = wallOf(u);
  return w === undefined ? '' : `${agoText(Math.max(0, deviceNow() - u))} · ${hhmm(w)}`;
};
