// The windowed device list: only the rows in view are in the DOM, at fixed height. A table on wide
// screens, two-line rows on phones (CSS). Pointer or focus inside freezes the order (list.ts). Clicks and keys are
// handled once on the body (each row carries its device id).
import { isVisibleName } from '@bleshark/shared-protocol';
import { actions } from '../model/actions.ts';
import { count } from '../model/chips.ts';
import { hhmm, when } from '../model/clock.ts';
import { type Dev, history } from '../model/device-table.ts';
import { alias, company, isPinned, kind, newCount } from '../model/list.ts';
import { deviceNow, S } from '../model/store.ts';
import { ago, bar, btn, glyph, line, txt } from './Bits.tsx';
import { onKey, tabStop } from './keys.ts';

const { scrolled, select } = actions;

/** Row height in px: one line on wide screens, two on phones (< 600 px). */
export const rowHeight = (): number => (innerWidth < 600 ? 52 : 34);
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 4;

let list: HTMLElement | null = null;
const setList = (e: HTMLElement | null) => {
  list = e;
};
/** Reads the list's scroll position and height (on scroll and resize). */
export const measure = (): void => {
  if (list) scrolled(list.scrollTop, list.clientHeight);
};

/** The device id of the row an event happened in (none for the spacer row). */
const rowId = (e: Event) => (e.target as Element).closest<HTMLElement>('[data-id]')?.dataset.id;

function row(d: Dev, top: number, now: number, stop?: number) {
  const r = d.r;
  const k = kind(d);
  const nick = alias(r.addr);
  const label = nick ?? r.name ?? k?.label;
  const age = now - r.last;
  const m = r.mfr?.[0];
  return (
    <tr
      key={r.id}
      class={`tr${age > 60e3 ? ' st2' : age > 15e3 ? ' st' : ''}`}
      style={`top:${top}px`}
      tabIndex={r.id === stop ? 0 : -1}
      data-id={r.id}
    >
      <td class="c-n">
        {isPinned(r.addr) && '★ '}
        {glyph(k)}
        {label ? txt(label, isVisibleName(r.name) || nick ? '' : 'mu') : <i class="mu">unnamed</i>}
      </td>
      <td class="c-a mono">
        {r.addr} <small>{r.addrType}</small>
      </td>
      <td class="c-r">
        <b>{d.v ?? r.rssi}</b>
        {bar(r.rssi)}
        {line(history(d, 30), 60, 16)}
      </td>
      <td class="c-c">{m && company(m[0])}</td>
      <td class="c-k">{k && txt(k.label)}</td>
      <td class="c-t">{r.tx}</td>
      <td class="c-o">{r.conn ? 'yes' : 'no'}</td>
      <td class="c-l" title={when(r.last)}>
        {ago(age)}
      </td>
      <td class="c-s">{r.count}</td>
    </tr>
  );
}

export function DeviceList() {
  const rh = rowHeight();
  const v = S.view;
  const from = Math.max(0, Math.floor(S.top / rh) - OVERSCAN);
  const to = Math.min(v.length, Math.ceil((S.top + S.height) / rh) + OVERSCAN);
  const now = deviceNow();
  const shown = v.slice(from, to);
  // One Tab stop in the list (keys.ts): the row the keyboard last moved to, else the first row in view.
  const stop = tabStop(shown, Math.ceil(S.top / rh));
  const { p, of } = S.table;
  return (
    <>
      {/* The list's own state, in a corner over it (the list scrolls its last row clear of it). */}
      <div
        class="row lbar"
        style="position:fixed;left:.4rem;bottom:.4rem;margin:0;z-index:2;background:Canvas"
      >
        {p && (
          <span role="status">
            Loading {count(p.size)} of {count(of ?? 0)}
          </span>
        )}
        {S.frozen && btn('Order frozen · tap to re-sort', actions.resort)}
        {!!S.baseAt && (
          <span>
            Baseline {hhmm(S.baseAt)} ({count(newCount())} new) {btn('Reset', actions.resetBaseline)}
          </span>
        )}
        {btn('Clear', actions.clear, { disabled: S.conn !== 'live', 'aria-label': 'Clear the device list' })}
      </div>
      {/* Dimmed while not connected: the rows are what the device last said. */}
      <table class={`tbl${S.conn !== 'live' && S.status ? ' st' : ''}`} aria-label="Devices">
        <thead>
          <tr class="th">
            {'Name Address RSSI Company Kind TX Conn Seen Count'.split(' ').map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody
          class="list"
          ref={setList}
          onScroll={() => {
            S.movedAt = performance.now();
            measure();
          }}
          onClick={(e) => {
            const id = rowId(e);
            if (id) select(S.table.m.get(+id));
          }}
          onKeyDown={(e) => onKey(e, rh, measure)}
        >
          {/* Gives the scroll area the height of every row; the rows in view sit on top of it. */}
          {/* ... plus room for the corners (list state, diagnostics) under the last row. */}
          <tr class="sp" style={`height:${v.length * rh + 56}px`}>
            <td class="mu">
              {v.length
                ? ''
                : p
                  ? 'Loading…'
                  : S.table.m.size
                    ? 'No device matches the filters.'
                    : 'No devices yet.'}
            </td>
          </tr>
          {shown.map((d, i) => row(d, (from + i) * rh, now, stop))}
        </tbody>
      </table>
    </>
  );
}
