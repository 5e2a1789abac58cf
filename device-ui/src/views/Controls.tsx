// The scan controls (mode, duration, start/stop), the Pause toggle and export.
import { actions as a } from '../model/actions.ts';
import { exportAs } from '../model/export-file.ts';
import { S } from '../model/store.ts';

export function Controls() {
  const { form, paused } = S;
  const off = S.conn !== 'live';
  return (
    <div class="row">
      <select
        aria-label="Scan mode"
        value={form.mode}
        onChange={(e) => a.setForm({ mode: e.currentTarget.value as 'active' })}
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
          onInput={(e) => a.setForm({ dur: +e.currentTarget.value })}
        />{' '}
        s
      </label>
      <button type="button" disabled={off} onClick={a.startScan}>
        Start
      </button>
      <button type="button" disabled={off || !S.hello?.scan.scanning} onClick={a.stopScan}>
        Stop
      </button>
      <button type="button" aria-pressed={paused} onClick={() => a.setPaused(!paused)}>
        Pause
      </button>
      <button type="button" onClick={() => exportAs('csv')}>
        CSV
      </button>
      <button type="button" onClick={() => exportAs('json')}>
        JSON
      </button>
    </div>
  );
}
