// Connection and scan state at a glance, with the scan controls.
import { S } from '../model/store.ts';
import { Controls } from './Controls.tsx';

const CONN = {
  connecting: 'Connecting…',
  live: 'Live',
  retry: 'Reconnecting',
  offline: 'Offline',
  hidden: 'Paused (hidden tab)',
  stopped: 'Disconnected',
};

const Stat = ({ n, t }: { n: unknown; t: string }) => (
  <span id={t}>
    <b>{(n as number) ?? '–'}</b> {t}
  </span>
);

export function Header() {
  const { hello: h, status: s, conn } = S;
  const scan = h?.scan;
  return (
    <header>
      <div class="row">
        <b class="brand">BLEShark</b>
        <span class={`pill ${conn}`} role="status">
          {CONN[conn]}
          {conn === 'retry' && ` in ${Math.max(0, Math.ceil((S.retryAt - Date.now()) / 1000))} s`}
        </span>
        {h && (
          <span class="mu">
            {h.device.model} · {h.device.firmware} · {h.device.source}
          </span>
        )}
        {h?.device.demo && <span class="pill demo">DEMO data</span>}
      </div>
      <div class="row">
        <span class={`pill ${scan?.scanning ? 'live' : ''}`} id="scan">
          {scan ? (scan.scanning ? `Scanning (${scan.mode})` : 'Idle') : '–'}
        </span>
        <Stat n={s && Math.round(s.rate)} t="adv/s" />
        <Stat n={s?.devices} t="devices" />
        <Stat n={S.view.length} t="shown" />
        <Stat n={s?.drops} t="drops" />
      </div>
      <Controls />
    </header>
  );
}
