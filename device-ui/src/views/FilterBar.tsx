// Filters and sort order. The device-applicable part is sent to the device (debounced) by setFilter.
import { actions } from '../model/actions.ts';
import { RSSI_OFF, type UiFilter } from '../model/filters.ts';
import { newCount } from '../model/list.ts';
import { SORTS, type SortKey } from '../model/sort.ts';
import { needsDec, S } from '../model/store.ts';
import { btn } from './Bits.tsx';

/** The text filter's placeholder, and its label for screen readers. */
const FIND = 'Name, address or company';

/** The checkbox filters and their labels. */
const CHECKS: [keyof UiFilter, string][] = [
  ['connectable', 'Connectable'],
  ['named', 'Hide unnamed'],
  ['noApple', 'Hide Apple'],
  ['noMicrosoft', 'Hide Microsoft'],
  ['trackers', 'Trackers only'],
  ['onlyNew', 'New since baseline'],
];

export function FilterBar() {
  const { setFilter } = actions;
  const f = S.filter;
  /** "Trackers only" needs the decoders (decode.js). */
  const dec = needsDec();
  return (
    <details open={innerWidth >= 600}>
      <summary>Filters & sort{S.pend.filter && ' (applying…)'}</summary>
      <div class="row">
        <input
          type="search"
          placeholder={FIND}
          aria-label={FIND}
          value={f.text}
          maxLength={64}
          onInput={(e) => setFilter({ text: e.currentTarget.value })}
        />
        <label>
          Min RSSI <output>{f.minRssi > RSSI_OFF ? f.minRssi : 'any'}</output>
          <input
            type="range"
            min={RSSI_OFF}
            max="-20"
            value={f.minRssi}
            onInput={(e) => setFilter({ minRssi: +e.currentTarget.value })}
          />
        </label>
        <label>
          {'Sort '}
          <select value={S.sort} onChange={(e) => actions.setSort(e.currentTarget.value as SortKey)}>
            {Object.entries(SORTS).map(([k, v]) => (
              <option value={k}>{v}</option>
            ))}
          </select>
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
        {btn('Mark baseline', actions.markBaseline)}
      </div>
    </details>
  );
}
