// Connection and scan state at a glance, the counts, and the controls used most: the search (always in
// view), Start / Stop, Pause and the toggle of the filter panel (FilterBar), which is collapsed on phones.
// Collapsed with filters set, it says so: "3 filters active · Clear".
import { actions as a } from '../model/actions.ts';
import { mods, need } from '../model/lazy.ts';
import { scanLabel } from '../model/scan-label.ts';
import { bump, deviceNow, S } from '../model/store.ts';
import { btn } from './Bits.tsx';

/** Whether the filter panel (FilterBar.tsx, in panel.js) is open: at first on wide screens; Filters toggles it. */
export let panelOpen = innerWidth >= 600;
const togglePanel = () => {
  panelOpen = !panelOpen;
  if (panelOpen) need('panel');
  bump();
};

const CONN = {
  connecting: 'Connecting…',
  live: 'Live',
  retry: 'Reconnecting',
  refused: 'Not connected · retrying',
  offline: 'Offline',
  hidden: 'Paused (hidden)',
  stopped: 'Disconnected',
};

/** The text filter's placeholder, and its label for screen readers. */
const FIND = 'Name, address or company';

/** A number from the device with its unit; the id lets tests and benchmarks read it. */
const stat = (n: number | undefined, t: string) => (
  <span id={t}>
    <b>{n ?? '–'}</b> {t}
  </span>
);

export function Header() {
  const { hello: h, status: s, conn, paused, filter: f } = S;
  const scan = h?.scan;
  const off = conn !== 'live';
  /** Scanning as far as the page knows (not while disconnected): the one scan button stops, else starts. */
  const on = scan?.scanning && !off;
  return (
    <header>
      <div class="row">
        <b>BLEShark</b>
        <span class={`pill ${conn}`} role="status">
          {CONN[conn]}
          {!!S.retryAt && ` in ${Math.max(0, Math.ceil((S.retryAt - Date.now()) / 1000))} s`}
        </span>
        {/* While not connected: the last known state, dimmed ("st"). */}
        <span class={`pill${on ? ' live' : off && s ? ' st' : ''}`} id="scan">
          {scanLabel(scan, !off, deviceNow(), S.devT)}
          {(S.pend['scan-start'] || S.pend['scan-stop']) && ' (applying…)'}
        </span>
        {h?.device.demo && <span class="pill wa">DEMO</span>}
        {h && (
          <span class="mu wide">
            {h.device.model} · {h.device.firmware} · {h.device.source}
          </span>
        )}
      </div>
      {/* While not connected: no rate, the numbers dimmed. */}
      <div class={`row sm${off && s ? ' st' : ''}`}>
        {stat(off ? undefined : s && Math.round(s.rate), 'adv/s')}
        {stat(s?.devices, 'devices')}
        {stat(S.view.length, 'shown')}
        {stat(s?.drops, 'drops')}
        {/* Collapsed with filters set: how many, and Clear (panel.js's: no filter is set before it loads). */}
        {!panelOpen && mods.panel?.active()}
      </div>
      <div class="row">
        <input
          type="search"
          placeholder={FIND}
          aria-label={FIND}
          value={f.text}
          maxLength={64}
          onInput={(e) => a.setFilter({ text: e.currentTarget.value })}
        />
        {btn(on ? 'Stop' : 'Start', on ? a.stopScan : a.startScan, { class: 'pri', disabled: off })}
        {btn('Pause', () => a.setPaused(!paused), { 'aria-pressed': paused })}
        {btn(['Filters', S.pend.filter && ' (applying…)'], togglePanel, {
          'aria-expanded': panelOpen,
          'aria-controls': 'flt',
        })}
      </div>
    </header>
  );
}
