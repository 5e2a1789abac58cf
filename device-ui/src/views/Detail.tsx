// Everything about one device: fields with wall-clock times, the Flags byte decoded, raw bytes (copyable)
// with AD structures broken out, decoded payloads, RSSI chart, advertising interval; pin, alias, and locate
// mode ("fox hunt", made for walking): the same dialog, full width, with the smoothed RSSI large and coloured
// by strength, its peak, warmer / colder, a vibration when it gets warmer (where the browser allows it) and
// optional beeps whose pitch follows it. Decoded payloads and the AD structure breakdown come with
// decode.js; without it the raw bytes are shown as hex. A modal dialog: the focus stays inside, and goes
// back to where it was (the device's row) when it closes.
import { actions } from '../model/actions.ts';
import { when } from '../model/clock.ts';
import { type Dev, intervalMs, history as samples } from '../model/device-table.ts';
import { alias, company, isPinned, kind } from '../model/list.ts';
import { serviceName } from '../model/names.ts';
import { deviceNow, S } from '../model/store.ts';
import { ago, btn, DL_CSS, dl, glyph, LK_CSS, line, mono, needsDec, type Row, sheet, txt } from './Bits.tsx';

// The dialog's own rules (see sheet), its definition list's and its Copy buttons'.
sheet(
  `${DL_CSS}${LK_CSS}.dlg{position:fixed;z-index:3;inset:0 0 0 auto;width:min(100%,32rem);overflow:auto;` +
    'overflow-wrap:anywhere;padding:.8rem;background:Canvas;box-shadow:0 0 2rem #0006}' +
    '.loc{left:0;width:auto;text-align:center}.loc meter{width:100%;height:1.6rem}' +
    '.big{font-size:5.5rem;font-weight:700;margin:.5rem 0}.chart{width:100%;height:110px;background:var(--bg)}' +
    'h2{font-size:1.15rem;margin:0;flex:1}h3{font-size:1rem;margin:.8rem 0 .3rem}label{white-space:nowrap}',
);

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** A service UUID with its name when known. */
const svc = (u: string) => (serviceName(u) ? `${u} (${serviceName(u)})` : u);

/** Hex of little-endian bytes in reading order ('aafe' -> 'feaa'), as UUIDs are written. */
const rev = (h: string) => (h.match(/../g) ?? []).reverse().join('');

/** A 32-digit UUID with its dashes. */
const dash = (h: string) =>
  h.length === 32
    ? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    : h;

/** Hex digits of the UUID at the start of an AD structure's data, by AD type (UUID lists and service data). */
const UUID_DIGITS: Record<number, number> = { 2: 4, 3: 4, 4: 8, 5: 8, 6: 32, 7: 32, 22: 4, 32: 8, 33: 32 };

/**
 * An AD structure's data as the Services row writes it: UUIDs in reading order (the bytes are little-endian:
 * `aafe` is the UUID feaa), service data as its UUID, a space, then the data.
 */
function adData(t: number, v: string): string {
  const n = UUID_DIGITS[t];
  if (!n) return v;
  if (t > 7) return `${dash(rev(v.slice(0, n)))} ${v.slice(n)}`;
  return (v.match(new RegExp(`.{${n}}`, 'g')) ?? []).map((u) => dash(rev(u))).join(' ');
}

/** The Flags AD structure's bits (Core Supplement, 1.3). */
const FLAGS = [
  'LE Limited Discoverable',
  'LE General Discoverable',
  'BR/EDR not supported',
  'LE + BR/EDR (controller)',
  'LE + BR/EDR (host)',
];

/** The Flags byte of raw advertising data (AD type 0x01), decoded; undefined without one. */
function flags(hex?: string): string | undefined {
  const b = (hex?.match(/../g) ?? []).map((x) => Number.parseInt(x, 16));
  for (let i = 0; i + 1 < b.length && b[i]; i += b[i]! + 1)
    if (b[i + 1] === 1 && b[i]! > 1) {
      const f = b[i + 2]!;
      return `${hex2(f)}: ${FLAGS.filter((_, j) => f & (1 << j)).join(', ') || 'none'}`;
    }
}

/** Copies text (the page is plain http on the Nano, where navigator.clipboard is missing: then execCommand). */
function copy(s: string, e: Event) {
  const b = e.currentTarget as HTMLElement;
  const done = () => {
    b.textContent = 'Copied';
  };
  if (navigator.clipboard) navigator.clipboard.writeText(s).then(done, () => {});
  else {
    const t = document.createElement('textarea');
    t.value = s;
    b.after(t);
    t.select();
    if (document.execCommand('copy')) done();
    t.remove();
    b.focus();
  }
}
const copyBtn = (s: string, what: string) =>
  btn('Copy', ((e: Event) => copy(s, e)) as () => void, { 'aria-label': `Copy ${what}`, class: 'lk' });

/** Raw bytes as hex (copyable), and broken into AD structures once decode.js is loaded. */
function raw(title: string, hex?: string) {
  const ad = hex ? S.dec?.adStructures(hex) : undefined;
  return (
    hex && (
      <>
        <h3>
          {title} {copyBtn(hex, title)}
        </h3>
        <p class="mono">{hex}</p>
        {ad && (
          <ul>
            {ad.rows.map(([t, name, at, v]) => (
              <li>
                <b>{hex2(t)}</b> {name} @{at}:{' '}
                {t === 8 || t === 9
                  ? txt(v)
                  : t === 1
                    ? flags(`02${hex2(t).slice(2)}${v}`)
                    : mono(adData(t, v))}
              </li>
            ))}
          </ul>
        )}
        {ad?.error && <p class="er">{ad.error}</p>}
      </>
    )
  );
}

// Focus: the dialog takes it when it opens and gives it back when it closes; Tab cycles inside it.
/** What had the focus before the dialog opened (the device's row, usually). */
let opener: HTMLElement | null = null;
/** The device the dialog shows (its id), to find its row again if that row was redrawn. */
let shownId = 0;

/**
 * The phone's Back button closes locate mode, then the details, instead of leaving the page: each open
 * layer (details, locate) has a history entry of its own. `depth` is how many the dialog pushed; `skip` is
 * set while the dialog itself goes back (a layer closed by Esc or a button), so that popstate is not taken
 * for the user's Back.
 */
let depth = 0;
let skip = false;

/** Pushes or pops history entries until there is one per open layer (`want`: 0, 1 details, 2 locate). */
function layers(want: number) {
  for (; depth < want; depth++) history.pushState(depth + 1, '');
  if (depth > want) {
    skip = true;
    history.go(want - depth);
    depth = want;
  }
}

addEventListener('popstate', () => {
  if (skip) skip = false;
  else if (depth) {
    depth--;
    S.locate ? actions.locate(false) : actions.select(undefined);
  }
});

/**
 * The dialog's ref: focuses it on open; on close drops its history entries and gives the focus back (to the
 * row, else the list's Tab stop).
 */
function focusDialog(e: HTMLElement | null) {
  if (e) {
    opener = document.activeElement as HTMLElement | null;
    e.focus();
  } else {
    layers(0);
    setTimeout(() => {
      const a = document.activeElement;
      if (a && a !== document.body) return;
      const to = opener?.isConnected
        ? opener
        : document.querySelector<HTMLElement>(`.tr[data-id="${shownId}"],.tr[tabindex="0"]`);
      to?.focus();
    });
  }
}

/** Keeps Tab and Shift+Tab inside the dialog. */
function trap(e: KeyboardEvent) {
  if (e.key !== 'Tab') return;
  const d = e.currentTarget as HTMLElement;
  const all = [...d.querySelectorAll<HTMLButtonElement>('button,input,select,[tabindex="0"]')].filter(
    (x) => !x.disabled,
  );
  const a = document.activeElement;
  const edge = e.shiftKey ? (a === all[0] || a === d) && all.at(-1) : a === all.at(-1) && all[0];
  if (edge) {
    e.preventDefault();
    edge.focus();
  }
}

// Locate mode, made for walking: the RSSI smoothed over new sightings, its peak, and the trend.
/** The followed device (address/type) the figures belong to; they start afresh for another. */
let locKey = '';
/** The last sighting folded in (device uptime), the smoothed RSSI, its peak. */
let locLast = -1;
let smooth = 0;
let peak = -127;
/** Smoothed values of the last seconds, [device uptime, value], to tell warmer from colder. */
let trail: [number, number][] = [];
/** The trend shown: 1 warmer, -1 colder, 0 steady. */
let trend = 0;

/** Folds the device's newest sighting into the smoothed value (once per sighting); returns the trend. */
function track(d: Dev): number {
  const r = d.r;
  const key = `${r.addr}/${r.addrType}`;
  if (key !== locKey) {
    locKey = key;
    locLast = -1;
    trail = [];
    peak = -127;
  }
  if (r.last !== locLast) {
    smooth = locLast < 0 ? r.rssi : smooth + 0.3 * (r.rssi - smooth);
    locLast = r.last;
    peak = Math.max(peak, smooth);
    trail = [...trail.filter(([t]) => r.last - t < 4000), [r.last, smooth]];
    const diff = smooth - trail[0]![1];
    const was = trend;
    trend = diff > 2 ? 1 : diff < -2 ? -1 : was && Math.abs(diff) > 1 ? was : 0;
    // A short buzz when it gets warmer, where the browser allows vibration (phones, after a tap).
    if (trend > 0 && was <= 0) navigator.vibrate?.(80);
  }
  return trend;
}

/** The colour class of an RSSI: strong (green), medium (amber), weak (red). */
const strength = (rssi: number) => (rssi >= -60 ? 'live' : rssi >= -80 ? 'wa' : 'er');

export function Detail({ d }: { d: Dev }) {
  const r = d.r;
  const iv = intervalMs(d);
  const pinned = isPinned(r.addr);
  const loc = S.locate;
  const name = alias(r.addr) ?? r.name ?? kind(d)?.label;
  shownId = r.id;
  if (loc) S.dec?.beepLevel(r.rssi);
  if (!loc) locKey = ''; // locate starts afresh each time
  const tr = loc ? track(d) : 0;
  const v = Math.round(smooth);
  const addr = `${r.addr} (${r.addrType})`;
  layers(loc ? 2 : 1);
  return (
    <div
      class={loc ? 'dlg loc' : 'dlg'}
      role="dialog"
      aria-modal="true"
      aria-label={loc ? 'Locate device' : 'Device details'}
      tabIndex={-1}
      ref={focusDialog}
      onKeyDown={trap}
    >
      <div class="row">
        <h2>
          {glyph(kind(d))}
          {name ? txt(name) : <i class="mu">unnamed</i>}
        </h2>
        {btn('✕', () => (loc ? actions.locate(false) : actions.select(undefined)), {
          'aria-label': 'Close',
        })}
      </div>
      {(S.rebooted || S.gone) && (
        <p class="wa" id="heard">
          {S.rebooted && 'Device restarted. '}
          {S.gone && (S.rebooted ? 'Not heard since.' : `Not heard for ${ago(deviceNow() - r.last)}.`)}
        </p>
      )}
      {loc ? (
        <>
          <p class="mono">{addr}</p>
          <p class={`big ${strength(v)}`} aria-live="polite" id="smooth">
            {v}
            <small style="font-size:.35em"> dBm</small>
          </p>
          <meter min={-100} max={-30} low={-80} high={-60} optimum={-30} value={v} aria-label="Signal" />
          <p class={tr > 0 ? 'live' : tr < 0 ? 'er' : ''} id="trend">
            {tr > 0 ? '▲ Warmer' : tr < 0 ? '▼ Colder' : '● Steady'}
          </p>
          <p id="peak">
            Peak {Math.round(peak)} dBm · now {r.rssi} dBm
          </p>
        </>
      ) : (
        <div class="row">
          {btn(pinned ? '★ Pinned' : '☆ Pin', () => actions.togglePin(r.addr), { 'aria-pressed': pinned })}
          {btn('Locate', () => actions.locate(true), { class: 'pri' })}
          <label>
            {'Alias '}
            {/* Uncontrolled (defaultValue), so updates of the device never reset what is being typed. */}
            <input
              key={r.addr}
              defaultValue={alias(r.addr) ?? ''}
              maxLength={64}
              onChange={(e) => actions.setAlias(r.addr, e.currentTarget.value)}
            />
          </label>
        </div>
      )}
      {line(samples(d), 300, 80, 'chart')}
      {loc ? (
        <>
          <p class="mu">Last heard {when(r.last)}. Walk; higher is closer.</p>
          {btn(S.sound ? 'Sound on' : 'Sound off', () => actions.setSound(!S.sound), {
            'aria-pressed': S.sound,
            ...needsDec(),
          })}
        </>
      ) : (
        <>
          <p class="mu">RSSI, last 60 s</p>
          {dl([
            [
              'Address',
              <>
                {addr} {copyBtn(r.addr, 'address')}
              </>,
            ],
            ['RSSI', `${r.rssi} dBm`],
            ['TX power', r.tx != null && `${r.tx} dBm`],
            ['Connectable', r.conn ? 'yes' : 'no'],
            ['Flags', flags(r.adv)],
            ...(r.mfr ?? []).map(([c, h]): Row => [`Mfr ${company(c)}`, mono(h)]),
            ['Sightings', r.count],
            ['Interval', iv != null && `≈ ${iv} ms`],
            ['First seen', when(r.first)],
            ['Last seen', when(r.last)],
            ['Services', r.uuids?.map(svc).join(', ')],
            ...(r.svc ?? []).map(([u, h]): Row => [`Data ${svc(u)}`, mono(h)]),
          ])}
          {S.dec?.decodeAll(r).map((x) => (
            <>
              <h3>
                {txt(x.label)}
                {x.tracker && <span class="pill er">tracker</span>}
              </h3>
              {dl(x.fields.map(([k, v]): Row => [k, txt(String(v))]))}
            </>
          ))}
          {raw('Advertising data', r.adv)}
          {raw('Scan response', r.rsp)}
        </>
      )}
    </div>
  );
}
