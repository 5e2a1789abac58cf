// Connection and scan state at a glance, with the scan controls, the Pause toggle and export.
import { actions as a } from '../model/actions.ts';
import { companyName } from '../model/names.ts';
import { scanLabel } from '../model/scan-label.ts';
import { deviceNow, needsDec, S } from '../model/store.ts';
import { btn } from './Bits.tsx';

const CONN = {
  connecting: 'Connecting…',
  live: 'Live',
  retry: 'Reconnecting',
  refused: 'Not connected · retrying',
  offline: 'Offline',
  hidden: 'Paused (hidden)',
  stopped: 'Disconnected',
};

/** Downloads the list as shown, with its RSSI history (decode.js). */
const save = (type: 'csv' | 'json') => () =>
  S.dec?.save(type, S.view, S.saved, companyName, S.hello, S.devT, S.filter);

/** A number from the device with its unit; the id lets tests and benchmarks read it. */
const stat = (n: number | undefined, t: string) => (
  <span id={t}>
    <b>{n ?? '–'}</b> {t}
  </span>
);

export function Header() {
  const { hello: h, status: s, conn, form, paused } = S;
  const scan = h?.scan;
  const off = conn !== 'live';
  return (
    <header>
      <div class="row">
        <b>BLEShark</b>
        <span class={`pill ${conn}`} role="status">
          {CONN[conn]}
          {!!S.retryAt && ` in ${Math.max(0, Math.ceil((S.retryAt - Date.now()) / 1000))} s`}
        </span>
        {h && (
          <span class="mu">
            {h.device.model} · {h.device.firmware} · {h.device.source}
          </span>
        )}
        {h?.device.demo && <span class="pill wa">DEMO data</span>}
      </div>
      {/* While not connected: the last known state, dimmed ("st"), and no rate. */}
      <div class={`row${off && s ? ' st' : ''}`}>
        <span class={`pill ${scan?.scanning && !off ? 'live' : ''}`} id="scan">
          {scanLabel(scan, !off, deviceNow(), S.devT)}
          {(S.pend['scan-start'] || S.pend['scan-stop']) && ' (applying…)'}
        </span>
        {stat(off ? undefined : s && Math.round(s.rate), 'adv/s')}
        {stat(s?.devices, 'devices')}
        {stat(S.view.length, 'shown')}
        {stat(s?.drops, 'drops')}
      </div>
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
          {'Duration '}
          <input
            type="number"
            min="0"
            max="86400"
            value={form.dur}
            title="0: until stopped"
            onInput={(e) => a.setForm({ dur: +e.currentTarget.value })}
          />
          {' s'}
        </label>
        {btn('Start', a.startScan, { disabled: off })}
        {btn('Stop', a.stopScan, { disabled: off || !scan?.scanning })}
        {btn('Pause', () => a.setPaused(!paused), { 'aria-pressed': paused })}
        {btn('CSV', save('csv'), needsDec())}
        {btn('JSON', save('json'), needsDec())}
      </div>
    </header>
  );
}
