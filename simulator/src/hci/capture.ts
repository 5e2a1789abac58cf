// A recorded HCI capture, whatever its format, reduced to what a replay needs: the advertising-report
// events the controller sent, one report per event, with their times; everything else counted.
import { readFile } from 'node:fs/promises';
import {
  isAdvertisingReport,
  LE_EXTENDED_ADVERTISING_REPORT,
  leSubevent,
  splitAdvertisingReports,
} from './adv-reports.js';
import { isBtsnoop, readBtsnoop } from './btsnoop.js';
import { type Damage, H4_ACL, H4_COMMAND, H4_EVENT, type H4Packet, readH4 } from './h4.js';

/** Spacing given to the events of a raw H4 stream, which carries no timestamps. */
export const UNTIMED_GAP_MS = 10;

/** One advertising-report event to replay (H4 form, one report), `ts` ms since the capture's start. */
export type CaptureEvent = { ts: number; bytes: Uint8Array; record: number };

export type Capture = {
  format: 'btsnoop' | 'h4';
  /** btsnoop datalink (1001, 1002, 2001); absent for raw H4. */
  datalink?: number;
  /** `synthetic` when the format has no times (raw H4): events are UNTIMED_GAP_MS apart. */
  timestamps: 'recorded' | 'synthetic';
  events: CaptureEvent[];
  /** Reports found, by kind. */
  reports: { legacy: number; extended: number };
  /** True when the capture holds extended reports (replay them through noble's extended mode). */
  extended: boolean;
  skipped: {
    /** ACL data packets (either direction). */
    acl: number;
    /** Host-to-controller commands. */
    commands: number;
    /** Controller events other than advertising reports (command complete, connections, ...). */
    events: number;
    /** Reports whose lengths ran past their event. */
    malformed: number;
    /** SCO, ISO, host-to-controller data, monitor notes. */
    other: number;
  };
  /** Lenient mode only: where reading stopped. */
  damage?: Damage;
};

/** A capture that cannot be read: names the record number and byte offset of the damage. */
export class CaptureError extends Error {
  readonly record: number;
  readonly offset: number;
  constructor(file: string, damage: Damage) {
    const where = damage.record === 0 ? 'file header' : `record ${damage.record}`;
    super(`${file}: ${where} at byte ${damage.offset}: ${damage.message}`);
    this.name = 'CaptureError';
    this.record = damage.record;
    this.offset = damage.offset;
  }
}

export type CaptureOptions = {
  /** Stop at the first damaged record and keep what came before it, instead of failing (default false). */
  lenient?: boolean;
  /** Name used in error messages (default "capture"). */
  name?: string;
};

type Source = { ts: number; fromController: boolean; packet: H4Packet };

/**
 * Parses a btsnoop v1 file or a raw H4 stream (sniffed from the first bytes). Throws a CaptureError
 * for damage unless `lenient`, in which case the damage is returned and reading stops there.
 */
export function parseCapture(bytes: Uint8Array, options: CaptureOptions = {}): Capture {
  const name = options.name ?? 'capture';
  let sources: Source[];
  let damage: Damage | undefined;
  let other = 0;
  let capture: Pick<Capture, 'format' | 'datalink' | 'timestamps'>;
  if (isBtsnoop(bytes)) {
    const snoop = readBtsnoop(bytes);
    sources = snoop.packets.map((p) => ({ ts: p.ts, fromController: p.fromController, packet: p }));
    damage = snoop.damage;
    other = snoop.other;
    capture = { format: 'btsnoop', datalink: snoop.datalink, timestamps: 'recorded' };
    if (damage?.record === 0) throw new CaptureError(name, damage);
  } else {
    if (bytes.length === 0) throw new CaptureError(name, { record: 0, offset: 0, message: 'empty file' });
    const h4 = readH4(bytes);
    sources = h4.packets.map((p, i) => ({ ts: i * UNTIMED_GAP_MS, fromController: true, packet: p }));
    damage = h4.damage;
    capture = { format: 'h4', timestamps: 'synthetic' };
    if (damage?.record === 1)
      damage.message += ' (not a btsnoop file either: expected "btsnoop\\0" or an H4 packet-type byte)';
  }
  if (damage && !options.lenient) throw new CaptureError(name, damage);
  const result: Capture = {
    ...capture,
    events: [],
    reports: { legacy: 0, extended: 0 },
    extended: false,
    skipped: { acl: 0, commands: 0, events: 0, malformed: 0, other },
    ...(damage ? { damage } : {}),
  };
  for (const { ts, fromController, packet } of sources) collect(result, ts, fromController, packet);
  result.extended = result.reports.extended > 0;
  return result;
}

function collect(result: Capture, ts: number, fromController: boolean, packet: H4Packet): void {
  const { skipped } = result;
  if (packet.type === H4_ACL) skipped.acl++;
  else if (packet.type === H4_COMMAND) skipped.commands++;
  else if (packet.type !== H4_EVENT || !fromController) skipped.other++;
  else if (!isAdvertisingReport(packet.bytes)) skipped.events++;
  else {
    const split = splitAdvertisingReports(packet.bytes);
    skipped.malformed += split.malformed;
    const kind = leSubevent(packet.bytes) === LE_EXTENDED_ADVERTISING_REPORT ? 'extended' : 'legacy';
    result.reports[kind] += split.events.length;
    for (const bytes of split.events) result.events.push({ ts, bytes, record: packet.record });
  }
}

/** Reads and parses a capture file (see parseCapture). */
export async function readCapture(file: string, options: CaptureOptions = {}): Promise<Capture> {
  const bytes = new Uint8Array(await readFile(file));
  return parseCapture(bytes, { name: file, ...options });
}

/** One line for logs: "28 advertising reports (legacy); skipped 4 ACL, 10 commands, 30 other events". */
export function describeCapture(c: Capture): string {
  const kind = c.extended ? (c.reports.legacy ? 'legacy + extended' : 'extended') : 'legacy';
  const s = c.skipped;
  const parts = [
    `${s.acl} ACL`,
    `${s.commands} commands`,
    `${s.events} other events`,
    `${s.malformed} malformed reports`,
    `${s.other} other records`,
  ];
  const head = `${c.format}${c.datalink ? ` (datalink ${c.datalink})` : ''}: ${c.events.length} advertising reports (${kind})`;
  const damage = c.damage
    ? `; stopped at record ${c.damage.record}, byte ${c.damage.offset}: ${c.damage.message}`
    : '';
  return `${head}; skipped ${parts.join(', ')}${damage}`;
}
