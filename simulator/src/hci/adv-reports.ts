// LE Advertising Report (LE Meta subevent 0x02) and LE Extended Advertising Report (0x0D) events:
// validated report by report and split into one report per event, which is what noble parses safely.
// (noble 1.9.2-26 hands an extended report everything after its header as data, so a second report in
// the same event would be glued onto the first; one report per event avoids that.)

export const EVT_LE_META = 0x3e;
export const LE_ADVERTISING_REPORT = 0x02;
export const LE_EXTENDED_ADVERTISING_REPORT = 0x0d;

/** Fixed bytes of one report before its data, and where the data length sits. */
const LAYOUT: Record<number, { head: number; tail: number }> = {
  // event type, address type, address (6), data length | data | rssi
  [LE_ADVERTISING_REPORT]: { head: 9, tail: 1 },
  // event type (2), address type, address (6), PHYs (2), SID, TX power, RSSI, periodic interval (2),
  // direct address type, direct address (6), data length | data
  [LE_EXTENDED_ADVERTISING_REPORT]: { head: 24, tail: 0 },
};

/** The LE Meta subevent of an H4 event packet, or undefined when it is not an LE Meta event. */
export function leSubevent(packet: Uint8Array): number | undefined {
  return packet[0] === 0x04 && packet[1] === EVT_LE_META && packet.length > 3 ? packet[3] : undefined;
}

/** True for an H4 event packet holding legacy or extended advertising reports. */
export function isAdvertisingReport(packet: Uint8Array): boolean {
  const sub = leSubevent(packet);
  return sub === LE_ADVERTISING_REPORT || sub === LE_EXTENDED_ADVERTISING_REPORT;
}

/**
 * Splits an advertising-report event (H4 form, type byte first) into one event per report, each a
 * valid event of the same subevent. Reports whose lengths run past the event (and any bytes left over
 * after the declared reports) are dropped and counted in `malformed`; the reports before them are kept.
 */
export function splitAdvertisingReports(packet: Uint8Array): { events: Uint8Array[]; malformed: number } {
  const sub = leSubevent(packet);
  if (sub === undefined || packet.length < 5 || packet[2] !== packet.length - 3)
    return { events: [], malformed: 1 };
  const { reports, malformed } = splitReports(sub, packet[4]!, packet.subarray(5));
  const events = reports.map((report) => {
    const event = new Uint8Array(5 + report.length);
    event.set([0x04, EVT_LE_META, 2 + report.length, sub, 1]);
    event.set(report, 5);
    return event;
  });
  return { events, malformed };
}

/**
 * Splits the reports of one advertising-report event: `body` is everything after the Num_Reports
 * byte, `count` that byte. Each report is a view of `body` holding exactly one report's bytes, the
 * way noble reads them. Reports that run past the body, and bytes left over after the declared
 * reports, are counted in `malformed` (an unknown subevent counts as one malformed report).
 */
export function splitReports(
  subevent: number,
  count: number,
  body: Uint8Array,
): { reports: Uint8Array[]; malformed: number } {
  const layout = LAYOUT[subevent];
  if (!layout) return { reports: [], malformed: 1 };
  const reports: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const dataLength = body[offset + layout.head - 1];
    const size = layout.head + (dataLength ?? 0) + layout.tail;
    if (dataLength === undefined || offset + size > body.length) return { reports, malformed: count - i };
    reports.push(body.subarray(offset, offset + size));
    offset += size;
  }
  return { reports, malformed: offset === body.length ? 0 : 1 };
}

/** Builds a legacy LE Advertising Report event (H4 form) with one report; for tests and tools. */
export function legacyReport(r: {
  type: number;
  addrType: number;
  addr: string;
  data: Uint8Array;
  rssi: number;
}): Uint8Array {
  const size = 10 + r.data.length;
  const out = new Uint8Array(5 + size);
  out.set([0x04, EVT_LE_META, 2 + size, LE_ADVERTISING_REPORT, 1, r.type, r.addrType]);
  out.set(addressBytes(r.addr), 7);
  out[13] = r.data.length;
  out.set(r.data, 14);
  out[14 + r.data.length] = r.rssi & 0xff;
  return out;
}

/** Builds an LE Extended Advertising Report event (H4 form) with one report; for tests and tools. */
export function extendedReport(r: {
  type: number;
  addrType: number;
  addr: string;
  data: Uint8Array;
  rssi: number;
  tx?: number;
}): Uint8Array {
  const size = 24 + r.data.length;
  const out = new Uint8Array(5 + size);
  out.set([0x04, EVT_LE_META, 2 + size, LE_EXTENDED_ADVERTISING_REPORT, 1, r.type & 0xff, r.type >> 8]);
  out[7] = r.addrType;
  out.set(addressBytes(r.addr), 8);
  out.set([0x01, 0x00, 0xff, (r.tx ?? 0x7f) & 0xff, r.rssi & 0xff, 0, 0, 0], 14);
  out[28] = r.data.length;
  out.set(r.data, 29);
  return out;
}

/** `aa:bb:cc:dd:ee:ff` as the 6 little-endian bytes HCI carries. */
function addressBytes(addr: string): Uint8Array {
  return Uint8Array.from(addr.split(':').reverse(), (h) => Number.parseInt(h, 16));
}
