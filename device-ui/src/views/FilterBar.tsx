// Filters and sort order. The device-applicable part is sent to the device (debounced) by setFilter.
import type { ComponentChildren } from 'preact';
import { actions as a } from '../model/actions.ts';
import { RSSI_OFF } from '../model/filters.ts';
import { SORTS, type SortKey } from '../model/sort.ts';
import { bump, S } from '../model/store.ts';
import { tools } from '../model/tools.ts';

export const Check = ({
  on,
  set,
  children,
}: {
  on: boolean;
  set: (v: boolean) => void;
  children: ComponentChildren;
}) => (
  <label class="chk">
    <input type="checkbox" checked={on} onChange={(e) => set(e.currentTarget.checked)} />
    {children}
  </label>
);

export function FilterBar() {
  const { setFilter, setSort, markBaseline } = tools;
  const f = S.filter;
  return (
    <details class="filters" open={innerWidth >= 600}>
      <summary>Filters & sort</summary>
      <div class="row">
        <input
          type="search"
          placeholder="Name, address, company…"
          aria-label="Filter by name, address or company"
          value={f.text}
          maxLength={64}
          onInput={(e) => setFilter({ text: e.currentTarget.value })}
        />
        <label class="rng">
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
          Sort{' '}
          <select value={S.sort} onChange={(e) => setSort(e.currentTarget.value as SortKey)}>
            {Object.entries(SORTS).map(([k, v]) => (
              <option value={k}>{v}</option>
            ))}
          </select>
        </label>
      </div>
      <div class="row">
        <Check on={f.connectable} set={(v) => setFilter({ connectable: v })}>
          Connectable
        </Check>
        <Check on={f.named} set={(v) => setFilter({ named: v })}>
          Hide unnamed
        </Check>
        <Check on={f.noApple} set={(v) => setFilter({ noApple: v })}>
          Hide Apple
        </Check>
        <Check on={f.noMicrosoft} set={(v) => setFilter({ noMicrosoft: v })}>
          Hide Microsoft
        </Check>
        <Check on={f.trackers} set={(v) => setFilter({ trackers: v })}>
          Trackers only
        </Check>
        <Check on={f.onlyNew} set={(v) => setFilter({ onlyNew: v })}>
          New since baseline ({S.baseline.size})
        </Check>
        <button type="button" onClick={markBaseline}>
          Mark baseline
        </button>
      </div>
    </details>
  );
}
