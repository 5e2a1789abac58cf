// Locate mode ("fox hunt"): one device's live RSSI, large, with optional beeps whose pitch follows it.
import { classify } from '@bleshark/shared-protocol';
import { actions as a } from '../model/actions.ts';
import { beepLevel, setBeep } from '../model/beeper.ts';
import { type Dev, history } from '../model/device-table.ts';
import { bump, S } from '../model/store.ts';
import { ago, Line, Txt } from './Bits.tsx';

export function Locate({ d }: { d: Dev }) {
  const r = d.r;
  beepLevel(r.rssi);
  const name = S.saved.aliases[r.addr] ?? r.name ?? classify(r)?.label;
  const setSound = (on: boolean) => {
    S.sound = on;
    setBeep(on);
    bump();
  };
  return (
    <div class="dlg loc" role="dialog" aria-modal="true" aria-label="Locate device">
      <div class="row">
        <h2>{name ? <Txt s={name} /> : r.addr}</h2>
        <button type="button" onClick={() => a.locate(undefined)} aria-label="Close locate mode">
          ✕
        </button>
      </div>
      <p class="big" aria-live="polite">
        {r.rssi}
        <small> dBm</small>
      </p>
      <meter min={-100} max={-30} value={r.rssi} aria-label="Signal" />
      <Line v={history(d)} w={300} h={80} c="chart" />
      <p class="mu">Last heard: {ago(S.devT - r.last)}. Walk around: the number rises as you get closer.</p>
      <button type="button" aria-pressed={S.sound} onClick={() => setSound(!S.sound)}>
        {S.sound ? 'Sound on' : 'Sound off'}
      </button>
    </div>
  );
}
