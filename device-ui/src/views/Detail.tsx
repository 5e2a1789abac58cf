// Everything about one device: fields, raw bytes with AD structures broken out, decoded payloads, RSSI
// chart, advertising interval; pin, alias, and locate mode ("fox hunt"): the same dialog, full width, with
// the live RSSI large and optional beeps whose pitch follows it. Decoded payloads and the AD structure
// breakdown come with decode.js; without it the raw bytes are shown as hex.
import { actions } from '../model/actions.ts';
import { type Dev, history, intervalMs } from '../model/device-table.ts';
import { alias, company, isPinned, kind } from '../model/list.ts';
import { serviceName } from '../model/names.ts';
import { deviceNow, needsDec, S } from '../model/store.ts';
import { ago, btn, dl, line, mono, type Row, txt } from './Bits.tsx';

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** A service UUID with its name when known. */
const svc = (u: string) => (serviceName(u) ? `${u} (${serviceName(u)})` : u);

/** Raw bytes as hex, and broken into AD structures once decode.js is loaded. */
function raw(title: string, hex?: string) {
  const ad = hex ? S.dec?.adStructures(hex) : undefined;
  return (
    hex && (
      <>
        <h3>{title}</h3>
        <p class="mono">{hex}</p>
        {ad && (
          <ul>
            {ad.rows.map(([t, name, at, v]) => (
              <li>
                <b>{hex2(t)}</b> {name} @{at}: {t === 8 || t === 9 ? txt(v) : mono(v)}
              </li>
            ))}
          </ul>
        )}
        {ad?.error && <p class="er">{ad.error}</p>}
      </>
    )
  );
}

/** Focuses the dialog once when it opens (a stable ref callback runs on mount only). */
const focus = (e: HTMLElement | null) => e?.focus();

const uptime = (ms: number) => `${(ms / 1000).toFixed(1)} s uptime`;

export function Detail({ d }: { d: Dev }) {
  const r = d.r;
  const iv = intervalMs(d);
  const pinned = isPinned(r.addr);
  const loc = S.locate;
  const name = alias(r.addr) ?? r.name ?? kind(d)?.label;
  if (loc) S.dec?.beepLevel(r.rssi);
  return (
    <div
      class={loc ? 'dlg loc' : 'dlg'}
      role="dialog"
      aria-modal="true"
      aria-label={loc ? 'Locate device' : 'Device details'}
      tabIndex={-1}
      ref={focus}
    >
      <div class="row">
        <h2>{name ? txt(name) : <i class="mu">unnamed</i>}</h2>
        {btn('✕', () => (loc ? actions.locate(false) : actions.select(undefined)), {
          'aria-label': 'Close',
        })}
      </div>
      {(S.rebooted || S.gone) && (
        <p class="wa" id="heard">
          {S.rebooted && 'Device restarted. '}
          {S.gone && (S.rebooted ? 'Not heard since.' : `Not heard for ${ago(deviceNow() - r.last)}.`)}
        </p>
      )}
      {loc ? (
        <>
          <p class="big" aria-live="polite">
            {r.rssi}
            <small> dBm</small>
          </p>
          <meter min={-100} max={-30} value={r.rssi} aria-label="Signal" />
        </>
      ) : (
        <div class="row">
          {btn(pinned ? '★ Pinned' : '☆ Pin', () => actions.togglePin(r.addr), { 'aria-pressed': pinned })}
          {btn('Locate', () => actions.locate(true))}
          <label>
            {'Alias '}
            <input
              value={alias(r.addr) ?? ''}
              maxLength={64}
              onChange={(e) => actions.setAlias(r.addr, e.currentTarget.value)}
            />
          </label>
        </div>
      )}
      {line(history(d), 300, 80, 'chart')}
      {loc ? (
        <>
          <p class="mu">Last heard: {ago(deviceNow() - r.last)}. Higher is closer.</p>
          {btn(S.sound ? 'Sound on' : 'Sound off', () => actions.setSound(!S.sound), {
            'aria-pressed': S.sound,
            ...needsDec(),
          })}
        </>
      ) : (
        <>
          <p class="mu">RSSI, last 60 s</p>
          {dl([
            ['Address', `${r.addr} (${r.addrType})`],
            ['RSSI', `${r.rssi} dBm`],
            ['TX power', r.tx != null && `${r.tx} dBm`],
            ['Connectable', r.conn ? 'yes' : 'no'],
            ...(r.mfr ?? []).map(([c, h]): Row => [`Mfr ${company(c)}`, mono(h)]),
            ['Sightings', r.count],
            ['Interval', iv != null && `≈ ${iv} ms`],
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
        </>
      )}
    </div>
  );
}
