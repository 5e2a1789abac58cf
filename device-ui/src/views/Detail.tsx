// Everything about one device: fields, raw bytes with AD structures broken out, decoded payloads, RSSI
// chart, advertising interval; pin, alias and locate.
import { decodeAll, decodeUtf8, fromHex, parseAdStructures, toHex } from '@bleshark/shared-protocol';
import { actions } from '../model/actions.ts';
import { type Dev, history, intervalMs } from '../model/device-table.ts';
import { kind } from '../model/list.ts';
import { companyName, serviceName } from '../model/names.ts';
import { S } from '../model/store.ts';

import { Line, Txt } from './Bits.tsx';

/** AD type names for the raw-bytes breakdown; 2-7 are the UUID lists (odd: complete, even: more follow). */
const AD: Record<number, string> = {
  1: 'Flags',
  8: 'Short name',
  9: 'Name',
  10: 'TX power',
  22: 'Service data',
  25: 'Appearance',
  32: 'Service data (32)',
  33: 'Service data (128)',
  255: 'Manufacturer data',
};
const adName = (t: number): string =>
  t > 1 && t < 8 ? `${[16, 32, 128][(t - 2) >> 1]}-bit UUIDs${t & 1 ? '' : ' (more)'}` : (AD[t] ?? 'AD');

const hex2 = (n: number, w = 2) => `0x${n.toString(16).padStart(w, '0')}`;
const svc = (u: string) => u + (serviceName(u) ? ` (${serviceName(u)})` : '');
const Mono = ({ s }: { s: string }) => <span class="mono">{s}</span>;

function Raw({ title, hex }: { title: string; hex?: string }) {
  if (!hex) return null;
  const { structures, error } = parseAdStructures(fromHex(hex) ?? new Uint8Array());
  return (
    <>
      <h3>{title}</h3>
      <p class="mono">{hex}</p>
      <ul>
        {structures.map(({ type: t, offset, data }) => (
          <li>
            <b>{hex2(t)}</b> {adName(t)} @{offset}:{' '}
            {t === 8 || t === 9 ? <Txt s={decodeUtf8(data)} /> : <Mono s={toHex(data)} />}
          </li>
        ))}
      </ul>
      {error && <p class="er">{error}</p>}
    </>
  );
}

type Row = [string, unknown];
/** A definition list of the rows that have a value. */
const Dl = ({ rows }: { rows: Row[] }) => (
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
        <h2>{title ? <Txt s={title} /> : <i class="mu">unnamed</i>}</h2>
        <button type="button" onClick={() => actions.select(undefined)} aria-label="Close details">
          ✕
        </button>
      </div>
      <div class="row">
        <button type="button" aria-pressed={pinned} onClick={() => actions.togglePin(r.addr)}>
          {pinned ? '★ Pinned' : '☆ Pin'}
        </button>
        <button type="button" onClick={() => actions.locate(r.id)}>
          Locate
        </button>
        <label>
          Alias{' '}
          <input
            value={S.saved.aliases[r.addr] ?? ''}
            maxLength={64}
            onChange={(e) => actions.setAlias(r.addr, e.currentTarget.value)}
          />
        </label>
      </div>
      <Line v={history(d)} w={300} h={80} c="chart" />
      <p class="mu">RSSI, last 60 s (−100 to −30 dBm)</p>
      <Dl
        rows={[
          ['Address', `${r.addr} (${r.addrType})`],
          ['RSSI', `${r.rssi} dBm`],
          ['TX power', r.tx === undefined ? r.tx : `${r.tx} dBm`],
          ['Connectable', r.conn ? 'yes' : 'no'],
          ...(r.mfr ?? []).map(
            ([c, h]): Row => [`Mfr ${hex2(c, 4)} ${companyName(c) ?? ''}`, <Mono s={h} />],
          ),
          ['Sightings', r.count],
          ['Interval', iv === undefined ? iv : `≈ ${iv} ms`],
          ['First seen', uptime(r.first)],
          ['Last seen', uptime(r.last)],
          ['Services', r.uuids?.map(svc).join(', ')],
          ...(r.svc ?? []).map(([u, h]): Row => [`Data ${svc(u)}`, <Mono s={h} />]),
        ]}
      />
      {decodeAll(r).map((x) => (
        <>
          <h3>
            <Txt s={x.label} />
            {x.tracker && <span class="pill er">tracker</span>}
          </h3>
          <Dl rows={x.fields.map(([k, v]): Row => [k, <Txt s={String(v)} />])} />
        </>
      ))}
      <Raw title="Advertising data" hex={r.adv} />
      <Raw title="Scan response" hex={r.rsp} />
    </div>
  );
}
