// The diagnostics corner: frames, invalid frames with the last error, seq gaps, connections, the last close,
// the device's epoch, and what the device sends this page (devices shown, the filter it applies). Rows
// without a value yet are left out.
import { S } from '../model/store.ts';
import { dl } from './Bits.tsx';

export function Diag() {
  const { diag: g, status: s } = S;
  return (
    <details class="diag">
      <summary>{g.bad ? `⚠ ${g.bad} invalid` : 'Diagnostics'}</summary>
      {dl([
        ['Frames', g.frames],
        ['Invalid', g.bad],
        ['Last error', g.err],
        ['Seq gaps', g.gaps],
        ['Connections', g.opens],
        ['Last close', S.closeCode],
        ['Epoch', S.hello?.epoch],
        ['Device shown', s?.shown],
        ['Device filter', s && JSON.stringify(s.filter)],
      ])}
    </details>
  );
}
