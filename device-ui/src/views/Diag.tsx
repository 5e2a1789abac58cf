// The diagnostics corner: its summary (or the count of invalid frames) in the page; the figures come with
// diag.js (src/lazy/diag.tsx), fetched when it is first opened. Without that asset it says so.
import { mods, need } from '../model/lazy.ts';
import { S } from '../model/store.ts';

export function Diag() {
  const bad = S.diag.bad;
  const m = mods.diag;
  return (
    <details class="diag" onToggle={() => need('diag')}>
      <summary>{bad ? `⚠ ${bad} invalid` : 'Diagnostics'}</summary>
      {m ? <m.DiagBody /> : m === null ? 'diag.js unavailable' : 'Loading…'}
    </details>
  );
}
