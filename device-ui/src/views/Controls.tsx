// The scan controls (mode, duration, start/stop), the Pause toggle and export.

import { actions as a } from '../model/actions.ts';
import { exportAs } from '../model/export-file.ts';
import { bump, S } from '../model/store.ts';
import { tools } from '../model/tools.ts';

export function Controls() {
  const { form } = S;
  const scan = S.hello?.scan;
  const off = S.conn !== 'live';
  return (
    <>
      <div class="row">
        <select
          aria-label="Scan mode"
          value={form.mode}
          onChange={(e) => tools.setForm({ mode: e.currentTarget.value as 'active' })}
        >
          <option value="active">Active</option>
          <option value="passive">Passive</option>
        </select>
        <label>
          Duration{' '}
          <input
            type="number"
            min="0"
            max="86400"
            value={form.dur}
            title="Seconds; 0 scans until stopped"
            onInput={(e) => tools.setForm({ dur: +e.currentTarget.value })}
          />{' '}
          s
        </label>
        <button type="button" disabled={off} onClick={tools.startScan}>
          Start
        </button>
        <button type="button" disabled={off || !scan?.scanning} onClick={tools.stopScan}>
          Stop
        </button>
        <button type="button" aria-pressed={S.paused} onClick={() => tools.setPaused(!S.paused)}>
          Pause
        </button>
        <button type="button" onClick={() => exportAs('csv')}>
          CSV
        </button>
        <button type="button" onClick={() => exportAs('json')}>
          JSON
        </button>
      </div>
      {S.note && (
        <p class="ban" role="status">
          {S.note}{' '}
          <button type="button" aria-label="Dismiss" onClick={() => a.dismiss('note')}>
            ×
          </button>
        </p>
      )}
    </>
  );
}
