// Everything about one device: fields, raw bytes with AD structures broken out, decoded payloads, RSSI
// chart, advertising interval; pin, alias and locate. Decoded payloads and AD type names need decode.js;
// without it the raw bytes and numeric AD types are still shown.
import { decodeUtf8, fromHex, parseAdStructures, toHex } from '@bleshark/shared-protocol';
import { actions } from '../model/actions.ts';
import { type Dev, history, intervalMs } from '../model/device-table.ts';
import { kind } from '../model/list.ts';
import { companyName, serviceName } from '../model/names.ts';
import { S } from '../model/store.ts';
import { btn, line, mono, txt } from './Bits.tsx';

const hex2 = (n: number, w = 2) => `0x${n.toString(16).padStart(w, '0')}`;
/** A service UUID with its name when known (names.json, else decode.js). */
const svc = (u: string) => {
  const n = serviceName(u) ?? S.dec?.SERVICES[u];
  return n ? `${u} (${n})` : u;
};

function raw(title: string, hex?: string) {
  if (!hex) return null;
  const { structures, error } = parseAdStructures(fromHex(hex) ?? new Uint8Array());
  return (
    <>
      <h3>{title}</h3>
      <p class="mono">{hex}</p>
      <ul>
        {structures.map(({ type: t, offset, data }) => (
          <li>
            <b>{hex2(t)}</b> {S.dec?.adName(t)} @{offset}:{' '}
            {t === 8 || t === 9 ? txt(decodeUtf8(data)) : mono(toHex(data))}
          </li>
        ))}
      </ul>
      {error && <p class="er">{error}</p>}
    </>
  );
}

type Row = [string, unknown];
/** A definition list of the rows that have a value. */
const dl = (rows: Row[]) => (
  <dl>
    {rows.map(([k, v]) =>
      v === undefined || v === '' ? null : (
        <>
          <dt>{k}</dt>
          <dd>{typeof v === 'object' ? v : String(v)}</dd>
        </>
      ),
    )}
  </dl>
);

/** Focuses the dialog once when it opens (a stable ref callback runs on mount only). */
const focus = (e: HTMLElement | null) => e?.focus();

const uptime = (ms: number) => `${(ms / 1000).toFixed(1)} s uptime`;

export function Detail({ d }: { d: Dev }) {
  const r = d.r;
  const iv = intervalMs(d);
  const pinned = S.saved.pins.includes(r.addr);
  const title = r.name ?? kind(d)?.label;
  return (
    <div class="dlg" role="dialog" aria-modal="true" aria-label="Device details" tabIndex={-1} ref={focus}>
      <div class="row">
        <h2>{title ? txt(title) : <i class="mu">unnamed</i>}</h2>
        {btn('✕', () => actions.select(undefined), { 'aria-label': 'Close details' })}
      </div>
      <div class="row">
        {btn(pinned ? '★ Pinned' : '☆ Pin', () => actions.togglePin(r.addr), { 'aria-pressed': pinned })}
        {btn('Locate', () => actions.locate(r.id))}
        <label>
          Alias{' '}
          <input
            value={S.saved.aliases[r.addr] ?? ''}
            maxLength={64}
            onChange={(e) => actions.setAlias(r.addr, e.currentTarget.value)}
          />
        </label>
      </div>
      {line(history(d), 300, 80, 'chart')}
      <p class="mu">RSSI, last 60 s (−100 to −30 dBm)</p>
      {dl([
        ['Address', `${r.addr} (${r.addrType})`],
        ['RSSI', `${r.rssi} dBm`],
        ['TX power', r.tx === undefined ? r.tx : `${r.tx} dBm`],
        ['Connectable', r.conn ? 'yes' : 'no'],
        ...(r.mfr ?? []).map(([c, h]): Row => [`Mfr ${hex2(c, 4)} ${companyName(c) ?? ''}`, mono(h)]),
        ['Sightings', r.count],
        ['Interval', iv === undefined ? iv : `≈ ${iv} ms`],
        ['First seen', uptime(r.first)],
        ['Last seen', uptime(r.last)],
        ['Services', r.uuids?.map(svc).join(', ')],
        ...(r.svc ?? []).map(([u, h]): Row => [`Data ${svc(u)}`, mono(h)]),
      ])}
      {S.dec?.decodeAll(r).map((x) => (
        <>
          <h3>
            {txt(x.label)}
            {x.tracker && <span class="pill er">tracker</span>}
          </h3>
          {dl(x.fields.map(([k, v]): Row => [k, txt(String(v))]))}
        </>
      ))}
      {raw('Advertising data', r.adv)}
      {raw('Scan response', r.rsp)}
    </div>
  );
}
