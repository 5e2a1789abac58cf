// The filter panel, opened by the header's Filters button (open at first on wide screens): scan mode and
// duration, minimum RSSI, sort, the checkbox filters, a service UUID, one-tap chips by kind and company,
// the baseline and export. The device-applicable part is sent to the device (debounced) by setFilter.
// Built into panel.js (src/lazy/panel.tsx), loaded when the panel is first opened; Header.tsx keeps its state.
import type { Decoded } from '@bleshark/shared-protocol';
import { actions } from '../model/actions.ts';
import { chips, count } from '../model/chips.ts';
import { NO_FILTER, type UiFilter } from '../model/filters.ts';
import { company, kind, newCount } from '../model/list.ts';
import { companyName } from '../model/names.ts';
import type { SortKey } from '../model/sort.ts';
import { S } from '../model/store.ts';
import { btn, glyph, LK_CSS, needsDec, sheet } from './Bits.tsx';

// The panel's own rules (see sheet): its frame, round chips, 24 px checkboxes, the duration field, the
// slider's value, and the header's Clear (a link-like button; the header shows it only with panel.js).
sheet(
  `${LK_CSS}#flt{padding:.35rem .6rem;border-bottom:var(--ln)}label,.chip{white-space:nowrap}.chip{border-radius:1rem}` +
    '[type=checkbox]{width:24px;height:24px;margin:0 .3rem 0 0}[type=checkbox],[type=range]{min-height:0;' +
    'vertical-align:middle}[type=number]{width:5em}output{display:inline-block;width:2em}',
);

/** The slider's lowest position, no RSSI limit (filters.ts RSSI_OFF, the filter's default). */
const RSSI_OFF = NO_FILTER.minRssi;

/** The sort keys (sort.ts) and their labels. */
const SORTS: Record<SortKey, string> = { rssi: 'RSSI', name: 'Name', last: 'Last seen', first: 'First seen' };

/** The checkbox filters and their labels. */
const CHECKS: [keyof UiFilter, string][] = [
  ['connectable', 'Connectable'],
  ['named', 'Hide unnamed'],
  ['noApple', 'Hide Apple (incl. AirTags)'],
  ['noMicrosoft', 'Hide Microsoft'],
  ['trackers', 'Trackers only'],
  ['onlyNew', 'New since baseline'],
];

/** Downloads the list as shown, with its RSSI history (decode.js). */
const save = (type: 'csv' | 'json') => () =>
  S.dec?.save(type, S.view, S.saved, companyName, S.hello, S.devT, S.filter);

export function FilterBar() {
  const { setFilter } = actions;
  const { filter: f, form } = S;
  /** "Trackers only" and export need the decoders (decode.js). */
  const dec = needsDec();
  return (
    <section id="flt" aria-label="Filters and sort">
      <div class="row">
        <label>
          {'Min RSSI '}
          <input
            type="range"
            min={RSSI_OFF}
            max="-20"
            value={f.minRssi}
            aria-valuetext={f.minRssi > RSSI_OFF ? `${f.minRssi} dBm` : 'any'}
            onInput={(e) => setFilter({ minRssi: +e.currentTarget.value })}
          />
          <output>{f.minRssi > RSSI_OFF ? f.minRssi : 'any'}</output>
        </label>
        <label>
          {'Sort '}
          <select value={S.sort} onChange={(e) => actions.setSort(e.currentTarget.value as SortKey)}>
            {Object.entries(SORTS).map(([k, v]) => (
              <option value={k}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          {'Service '}
          <input
            class="uuid"
            size={9}
            placeholder="feaa"
            value={f.service}
            maxLength={36}
            onInput={(e) => setFilter({ service: e.currentTarget.value })}
          />
        </label>
      </div>
      <div class="row">
        {CHECKS.map(([k, t]) => (
          <label title={k === 'trackers' ? dec.title : undefined}>
            <input
              type="checkbox"
              checked={f[k] as boolean}
              disabled={k === 'trackers' && dec.disabled}
              onChange={(e) => setFilter({ [k]: e.currentTarget.checked })}
            />
            {t}
            {k === 'onlyNew' && S.baseline.size > 0 && ` (${newCount()})`}
          </label>
        ))}
      </div>
      <div class="row">
        {chips(S.table.m.values(), (d) => {
          const k = kind(d);
          if (k) kinds[k.kind] = k;
          return k;
        }).map(({ by, key, n }) => {
          const on = f[by] === key;
          return btn(
            [
              by === 'kind' ? [glyph(kinds[key]), kinds[key]!.label] : company(key as number),
              ' ',
              <b>{count(n)}</b>,
            ],
            () => setFilter({ [by]: on ? NONE[by] : key }),
            { class: 'chip', 'aria-pressed': on },
          );
        })}
      </div>
      <div class="row">
        <select
          aria-label="Scan mode"
          value={form.mode}
          onChange={(e) => actions.setForm({ mode: e.currentTarget.value as 'active' })}
        >
          <option value="active">Active</option>
          <option value="passive">Passive</option>
        </select>
        <label>
          {'Duration '}
          <input
            type="number"
            min="0"
            max="86400"
            value={form.dur}
            title="0: until stopped"
            onInput={(e) => actions.setForm({ dur: +e.currentTarget.value })}
          />
          {' s'}
        </label>
        {/* Starts (or restarts, while scanning) with this mode and duration. */}
        {btn('Start', actions.startScan, { disabled: S.conn !== 'live' })}
        {btn('Mark baseline', actions.markBaseline)}
        {btn('CSV', save('csv'), dec)}
        {btn('JSON', save('json'), dec)}
      </div>
    </section>
  );
}

/**
 * The header's note while the panel is collapsed with filters set: "3 filters active · Clear". It lives here
 * because no filter but the search can be set before panel.js loads. Counts as filters.ts's activeCount
 * does (every field that differs from NO_FILTER, the text aside), written out so the page does not carry it.
 */
export function active() {
  const f = S.filter;
  const n = Object.keys(f).filter((k) => k !== 'text' && f[k as 'text'] !== NO_FILTER[k as 'text']).length;
  return (
    n > 0 && (
      <span class="wa">
        {n} filter{n > 1 && 's'} active ·{' '}
        {btn('Clear', () => actions.setFilter(NO_FILTER), { class: 'lk', 'aria-label': 'Clear filters' })}
      </span>
    )
  );
}

/** What a chip's filter is when it is off. */
const NONE = { company: undefined, kind: '' };
/** A decoded kind's decode as last seen, for its chip's glyph and label (chips count by `Decoded.kind`). */
const kinds: Record<string, Decoded> = {};
