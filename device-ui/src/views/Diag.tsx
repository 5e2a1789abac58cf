// The diagnostics corner: frames, invalid frames with the last error, seq gaps, connections, device health.

import { S } from '../model/store.ts';

export function Diag() {
  const { diag: g, status: s, hello: h } = S;
  const rows: [string, unknown][] = [
    ['Frames', g.frames],
    ['Invalid', g.bad],
    ['Last error', g.err || '–'],
    ['Seq gaps', g.gaps],
    ['Connections', g.opens],
    ['Last close', S.closeCode || '–'],
    ['Epoch', h?.epoch],
    ['Device shown', s?.shown],
    ['Device filter', s && JSON.stringify(s.filter)],
    ['Evicted', s?.evicted],
  ];
  return (
    <details class="diag">
      <summary>{g.bad ? `⚠ ${g.bad} invalid` : 'Diagnostics'}</summary>
      <dl>
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd id={k}>{String(v ?? '–')}</dd>
          </>
        ))}
      </dl>
    </details>
  );
}
