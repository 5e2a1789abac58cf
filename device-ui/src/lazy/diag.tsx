// diag.js: the diagnostics' figures, loaded when the diagnostics corner is first opened (views/Diag.tsx):
// frames, invalid frames with the last error, seq gaps, connections, the last close, the device's epoch,
// and what the device sends this page (devices shown, the filter it applies). Rows without a value yet are
// left out. Everything it uses comes from the page (build/lazy.ts, src/page-api.ts).
import { S } from '../model/store.ts';
import { DL_CSS, dl, sheet } from '../views/Bits.tsx';

sheet(DL_CSS);

export function DiagBody() {
  const { diag: g, status: s } = S;
  return dl([
    ['Frames', g.frames],
    ['Invalid', g.bad],
    ['Last error', g.err],
    ['Seq gaps', g.gaps],
    ['Connections', g.opens],
    ['Last close', S.closeCode],
    ['Epoch', S.hello?.epoch],
    ['Device shown', s?.shown],
    ['Device filter', s && JSON.stringify(s.filter)],
  ]);
}
