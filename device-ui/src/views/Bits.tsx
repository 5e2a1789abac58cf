// Small shared pieces: attacker-safe text, RSSI bar and sparkline, "ago". Plain functions returning
// elements (cheaper than components; none of them keeps state).
import type { Decoded } from '@bleshark/shared-protocol';
import type { ComponentChildren, JSX } from 'preact';
import { level } from '../model/device-table.ts';
import { visible } from '../model/sanitize.ts';
import { S } from '../model/store.ts';

/**
 * Adds rules to the page: each lazily loaded view brings the rules only it uses (the page's sheet,
 * styles.css, leaves them out of the first paint).
 */
export const sheet = (css: string): void => {
  document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
};

/** The rules of a definition list (`dl` below: the details and the diagnostics). */
export const DL_CSS =
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem}dd{margin:0}dt{color:var(--mu)}';
/** A button that looks like a link (the filter panel's Clear, the details' Copy). */
export const LK_CSS = '.lk{border:0;background:none;padding:0;min-height:0;text-decoration:underline}';

/**
 * The disabled state and title of a control that needs decode.js (trackers filter, export, locate's sound):
 * enabled once it has loaded; until then the title says it is loading, or that it could not be loaded.
 * Only the lazily loaded views have such controls, so this lives here rather than in the page's model.
 */
export const needsDec = () => ({
  disabled: !S.dec,
  title: S.dec ? undefined : S.dec === null ? 'decode.js unavailable' : 'Loading…',
});

/** A button with its label, action and any further attributes (the page has no form, so none submits). */
export const btn = (
  label: ComponentChildren,
  onClick: () => void,
  more?: JSX.ButtonHTMLAttributes<HTMLButtonElement>,
) => (
  <button onClick={onClick} {...more}>
    {label}
  </button>
);

/** Untrusted text: a text node only, bidi-isolated, control characters made visible. */
export const txt = (s: string, c?: string) => <bdi class={c}>{visible(s)}</bdi>;

/** Glyphs of the decoded kinds by the start of `Decoded.kind`; trackers have ◉, the rest ◆. */
const GLYPHS: Record<string, string> = {
  edd: '◎', // Eddystone beacons
  ibe: '◎', // iBeacon
  bth: '◈', // BTHome sensors
  fas: '⇄', // Fast Pair
  swi: '⇄', // Swift Pair
  'ms-': '⊞', // Microsoft CDP
  exp: '✚', // Exposure Notification
};

/** A decoded kind as a glyph, its label as the title (and so the accessible name of the image). */
export const glyph = (k?: Decoded) =>
  k && (
    <span class="gl" role="img" title={k.label}>
      {k.tracker ? '◉' : (GLYPHS[k.kind.slice(0, 3)] ?? '◆')}{' '}
    </span>
  );

/** Monospaced text (addresses, hex). */
export const mono = (s: string) => <span class="mono">{s}</span>;

/** RSSI as a bar coloured by strength: -100 dBm empty, -30 dBm full; red below -80, amber to -60, then green. */
export const bar = (rssi: number) => (
  <meter min={-100} max={-30} low={-80} high={-60} optimum={-30} value={rssi} aria-hidden="true" />
);

/** A polyline of RSSI samples (null = not heard) scaled into w x h, -100 dBm at the bottom, -30 at the top. */
export function line(v: (number | null)[], w: number, h: number, c = 'spark') {
  // Starts at the first sample, so a device heard for a few seconds still draws across the width.
  v = v.slice(
    Math.max(
      0,
      v.findIndex((x) => x !== null),
    ),
  );
  const step = w / Math.max(1, v.length - 1);
  let pts = '';
  v.forEach((x, i) => {
    if (x !== null) pts += `${(i * step).toFixed(1)},${(h - level(x) * h).toFixed(1)} `;
  });
  return (
    <svg class={c} viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" aria-hidden="true">
      <polyline points={pts} />
    </svg>
  );
}

export type Row = [string, unknown];
/** A definition list of the rows that have a value (0 counts); each value's id is its key, for tests. */
export const dl = (rows: Row[]) => (
  <dl>
    {rows.map(
      ([k, v]) =>
        (v || v === 0) && (
          <>
            <dt>{k}</dt>
            <dd id={k}>{v}</dd>
          </>
        ),
    )}
  </dl>
);

/** "now", "12s", "5m", "2h" ago. */
export const ago = (ms: number): string =>
  ms < 1000
    ? 'now'
    : ms < 60e3
      ? `${(ms / 1e3) | 0}s`
      : ms < 36e5
        ? `${(ms / 6e4) | 0}m`
        : `${(ms / 36e5) | 0}h`;
