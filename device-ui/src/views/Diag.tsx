// The diagnostics corner: frames, invalid frames with the last error, seq gaps, connections, the last close,
// the device's epoch, and what the device sends this page (devices shown, the filter it applies).
import { S } from '../model/store.ts';

export function Diag() {
  const { diag: g, status: s } = S;
  return (
    <details class="diag">
      <summary>{g.bad ? `⚠ ${g.bad} invalid` : 'Diagnostics'}</summary>
      <dl>
        {(
          [
            ['Frames', g.frames],
            ['Invalid', g.bad],
            ['Last error', g.err || undefined],
            ['Seq gaps', g.gaps],
            ['Connections', g.opens],
            ['Last close', S.closeCode || undefined],
            ['Epoch', S.hello?.epoch],
            ['Device shown', s?.shown],
            ['Device filter', s && JSON.stringify(s.filter)],
          ] as const
        ).map(([k, v]) => (
          <>
            <dt>{k}</dt>
            {/* The id lets tests read a value. */}
            <dd id={k}>{v ?? '–'}</dd>
          </>
        ))}
      </dl>
    </details>
  );
}
