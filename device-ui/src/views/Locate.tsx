// Locate mode ("fox hunt"): one device's live RSSI, large, with optional beeps whose pitch follows it.
import { actions } from '../model/actions.ts';
import { beepLevel } from '../model/beeper.ts';
import { type Dev, history } from '../model/device-table.ts';
import { alias, kind } from '../model/list.ts';
import { S } from '../model/store.ts';
import { ago, btn, line, txt } from './Bits.tsx';

export function Locate({ d }: { d: Dev }) {
  const r = d.r;
  beepLevel(r.rssi);
  const name = alias(r.addr) ?? r.name ?? kind(d)?.label;
  return (
    <div class="dlg loc" role="dialog" aria-modal="true" aria-label="Locate device">
      <div class="row">
        <h2>{name ? txt(name) : r.addr}</h2>
        {btn('✕', () => actions.locate(undefined), { 'aria-label': 'Close locate mode' })}
      </div>
      <p class="big" aria-live="polite">
        {r.rssi}
        <small> dBm</small>
      </p>
      <meter min={-100} max={-30} value={r.rssi} aria-label="Signal" />
      {line(history(d), 300, 80, 'chart')}
      <p class="mu">Last heard: {ago(S.devT - r.last)}. Walk around: the number rises as you get closer.</p>
      {btn(S.sound ? 'Sound on' : 'Sound off', () => actions.setSound(!S.sound), { 'aria-pressed': S.sound })}
    </div>
  );
}
