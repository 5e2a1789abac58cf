// Everything about one device: fields, raw bytes with AD structures broken out, decoded payloads, RSSI
// chart, advertising interval; pin, alias and locate.
import {
  classify,
  decodeAll,
  decodeUtf8,
  fromHex,
  parseAdStructures,
  toHex,
} from '@bleshark/shared-protocol';
import { actions as a } from '../model/actions.ts';
import { type Dev, history, intervalMs } from '../model/device-table.ts';
import { companyName, serviceName } from '../model/names.ts';
import { bump, S } from '../model/store.ts';
import { tools } from '../model/tools.ts';
import { Line, Txt } from './Bits.tsx';

/** AD type names for the raw-bytes breakdown. */
const AD: Record<number, string> = {
  1: 'Flags',
  2: '16-bit UUIDs (more)',
  3: '16-bit UUIDs',
  4: '32-bit UUIDs (more)',
  5: '32-bit UUIDs',
  6: '128-bit UUIDs (more)',
  7: '128-bit UUIDs',
  8: 'Short name',
  9: 'Name',
  10: 'TX power',
  22: 'Service data',
  25: 'Appearance',
  32: 'Service data (32)',
  33: 'Service data (128)',
  255: 'Manufacturer data',
};

const hex2 = (n: number, w = 2) => `0x${n.toString(16).padStart(w, '0')}`;
const svc = (u: string) => `${u}${serviceName(u) ? ` (${serviceName(u)})` : ''}`;

function Raw({ title, hex }: { title: string; hex?: string }) {
  if (!hex) return null;
  const { structures, error } = parseAdStructures(fromHex(hex) ?? new Uint8Array(0));
  return (
    <>
      <h3>{title}</h3>
      <p class="mono hex">{hex}</p>
      <ul class="ad">
        {structures.map((s) => (
          <li>
            <b>{hex2(s.type)}</b> {AD[s.type] ?? 'AD'} @{s.offset}:{' '}
            {s.type === 8 || s.type === 9 ? (
              <Txt s={decodeUtf8(s.data)} />
            ) : (
              <span class="mono">{toHex(s.data)}</span>
            )}
          </li>
        ))}
      </ul>
      {error && <p class="er">{error}</p>}
    </>
  );
}

const Field = ({ k, v }: { k: string; v: unknown }) =>
  v === undefined || v === '' ? null : (
    <>
      <dt>{k}</dt>
      <dd>{typeof v === 'object' ? v : String(v)}</dd>
    </>
  );

/** Focuses the dialog once when it opens (a stable ref callback runs on mount only). */
const focus = (e: HTMLElement | null) => e?.focus();

export function Detail({ d }: { d: Dev }) {
  const r = d.r;
  const { select, locate } = a;
  const { togglePin, setAlias } = tools;
  const iv = intervalMs(d);
  const pinned = S.saved.pins.includes(r.addr);
  const all = decodeAll(r);
  const title = r.name ?? classify(r)?.label;
  return (
    <div class="dlg" role="dialog" aria-modal="true" aria-label="Device details" tabIndex={-1} ref={focus}>
      <div class="row">
        <h2>{title ? <Txt s={title} /> : <i class="mu">unnamed</i>}</h2>
        <button type="button" onClick={() => select(undefined)} aria-label="Close details">
          ✕
        </button>
      </div>
      <div class="row">
        <button type="button" aria-pressed={pinned} onClick={() => togglePin(r.addr)}>
          {pinned ? '★ Pinned' : '☆ Pin'}
        </button>
        <button type="button" onClick={() => locate(r.id)}>
          Locate
        </button>
        <label>
          Alias{' '}
          <input
            value={S.saved.aliases[r.addr] ?? ''}
            maxLength={64}
            placeholder="your name for it"
            onChange={(e) => setAlias(r.addr, e.currentTarget.value)}
          />
        </label>
      </div>
      <Line v={history(d)} w={300} h={80} c="chart" />
      <p class="mu">RSSI, last 60 s (−100 to −30 dBm)</p>
      <dl>
        <Field k="Address" v={`${r.addr} (${r.addrType})`} />
        <Field k="RSSI" v={`${r.rssi} dBm`} />
        <Field k="TX power" v={r.tx === undefined ? undefined : `${r.tx} dBm`} />
        <Field k="Connectable" v={r.conn ? 'yes' : 'no'} />
        {r.mfr?.map(([c, h]) => (
          <Field k={`Mfr ${hex2(c, 4)} ${companyName(c) ?? ''}`} v={<span class="mono">{h}</span>} />
        ))}
        <Field k="Sightings" v={r.count} />
        <Field k="Interval" v={iv === undefined ? undefined : `≈ ${iv} ms`} />
        <Field k="First seen" v={`${(r.first / 1000).toFixed(1)} s uptime`} />
        <Field k="Last seen" v={`${(r.last / 1000).toFixed(1)} s uptime`} />
        <Field k="Services" v={r.uuids?.map(svc).join(', ')} />
        {r.svc?.map(([u, h]) => (
          <Field k={`Data ${svc(u)}`} v={<span class="mono">{h}</span>} />
        ))}
      </dl>
      {all.map((x) => (
        <>
          <h3>
            <Txt s={x.label} />
            {x.tracker && <span class="pill er">tracker</span>}
          </h3>
          <dl>
            {x.fields.map(([k, v]) => (
              <Field k={k} v={<Txt s={String(v)} />} />
            ))}
          </dl>
        </>
      ))}
      <Raw title="Advertising data" hex={r.adv} />
      <Raw title="Scan response" hex={r.rsp} />
    </div>
  );
}
