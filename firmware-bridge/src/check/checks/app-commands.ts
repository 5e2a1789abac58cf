// Commands (protocol: Messages, page -> device): acks by id, idempotent scan control, filter, snapshots.
import { type DeviceRecord, type Filter, matchesFilter } from '@bleshark/shared-protocol';
import { nextId } from '../expect.js';
import { type Check, fail } from '../types.js';
import { readSnapshot, since, until } from './app-helpers.js';
import { batchWindowMs } from './frame-helpers.js';

/** Picks a filter that keeps some of the devices: a minimum RSSI and an address fragment. */
function pickFilter(devices: DeviceRecord[]): Filter {
  const sorted = [...devices].sort((a, b) => b.rssi - a.rssi);
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (!mid) return { minRssi: -70, text: 'a' };
  return { minRssi: Math.max(-127, mid.rssi - 5), text: mid.addr.slice(0, 1) };
}

export const appCommandChecks: Check[] = [
  {
    id: 'app.snapshot-request',
    title: 'snapshot-request is acked and answered with a complete snapshot',
    expect: 'ack + snapshot reason request',
    ref: 'protocol: snapshot-request',
    async run(ctx) {
      const s = await ctx.session();
      const mark = s.messages.length;
      const id = nextId('r');
      await s.expectAck({ type: 'snapshot-request', id });
      const parts = await readSnapshot(s, 'request', mark);
      return `ack + ${parts[parts.length - 1]!.total} devices in ${parts.length} part(s)`;
    },
  },
  {
    id: 'app.no-ack-without-id',
    title: 'a command without id gets its effect but no ack',
    expect: 'snapshot, no ack',
    ref: 'protocol: Messages, page -> device',
    async run(ctx) {
      const s = await ctx.session();
      await readSnapshot(s, 'connect');
      const mark = s.messages.length;
      s.command({ type: 'snapshot-request' });
      await readSnapshot(s, 'request', mark);
      const end = Date.now() + 300;
      while (Date.now() < end) await s.next(Math.max(0, end - Date.now()));
      const ack = since(s, mark).find((m) => m.type === 'ack');
      if (ack) fail(`the device sent an ack (id ${ack.id}) for a command without id`);
      return 'snapshot without ack';
    },
  },
  {
    id: 'app.unknown-fields-ignored',
    title: 'unknown fields in a command are ignored',
    expect: 'ack',
    ref: 'protocol: Transport (unknown fields are ignored)',
    async run(ctx) {
      const s = await ctx.session();
      const id = nextId('k');
      s.command({ type: 'snapshot-request', id, future: { x: 1 } });
      const a = await s.answerTo(id);
      if (a.type !== 'ack') fail(`expected ack, got error ${a.code}: ${a.message}`);
      return 'acked';
    },
  },
  {
    id: 'app.filter-obeyed',
    title: 'after a filter every record in the snapshot and the next batches matches it',
    expect: 'ack + snapshot reason filter, matchesFilter on every record',
    ref: 'protocol: Filter semantics',
    async run(ctx) {
      const s = await ctx.session();
      const connect = await readSnapshot(s, 'connect');
      const filter = pickFilter(connect.flatMap((p) => p.d));
      const mark = s.messages.length;
      const id = nextId('f');
      await s.expectAck({ type: 'filter', id, filter });
      const parts = await readSnapshot(s, 'filter', mark);
      const view = new Map<number, DeviceRecord>();
      for (const r of parts.flatMap((p) => p.d)) {
        if (!matchesFilter(r, filter))
          fail(`snapshot holds ${r.addr} (rssi ${r.rssi}) that does not match ${JSON.stringify(filter)}`);
        view.set(r.id, r);
      }
      const after = s.messages.length;
      const window = batchWindowMs(ctx, 3) + 400;
      const end = Date.now() + window;
      while (Date.now() < end) await s.next(Math.max(0, end - Date.now()));
      let batches = 0;
      for (const m of since(s, after)) {
        if (m.type !== 'batch') continue;
        batches++;
        for (const id of m.x ?? []) view.delete(id);
        for (const r of m.d ?? []) {
          if (!matchesFilter(r, filter))
            fail(`batch seq ${m.seq} holds ${r.addr} (rssi ${r.rssi}) outside ${JSON.stringify(filter)}`);
          view.set(r.id, r);
        }
        for (const [uid, rssi] of m.u ?? []) {
          const r = view.get(uid);
          if (!r) fail(`batch seq ${m.seq} updates id ${uid}, which is not in the filtered view`);
          else if (!matchesFilter({ ...r, rssi }, filter))
            fail(
              `batch seq ${m.seq} updates id ${uid} to rssi ${rssi}, below minRssi ${filter.minRssi} (should be in x)`,
            );
        }
      }
      return `${parts[parts.length - 1]!.total} of ${connect[connect.length - 1]!.total} devices match ${JSON.stringify(filter)}; ${batches} batches checked`;
    },
  },
  {
    id: 'app.scan-start-idempotent',
    title: 'scan-start twice is acked twice and leaves the device scanning',
    expect: 'two acks by id, scanning',
    ref: 'protocol: scan-start (idempotent)',
    exclusive: true,
    async run(ctx) {
      const s = await ctx.session();
      const wasScanning = s.hello?.scan.scanning;
      await s.expectAck({ type: 'scan-start', id: nextId('s') });
      await s.expectAck({ type: 'scan-start', id: nextId('s') });
      const t = await ctx.session();
      if (t.hello && !t.hello.scan.scanning)
        fail('a new connection reports scanning: false after scan-start');
      if (wasScanning === false) await s.expectAck({ type: 'scan-stop', id: nextId('restore') });
      return 'acked twice; scanning';
    },
  },
  {
    id: 'app.scan-stop-idempotent',
    title: 'scan-stop twice is acked twice; scan-complete reason stopped',
    expect: 'two acks by id, scan-complete stopped',
    ref: 'protocol: scan-stop (idempotent)',
    exclusive: true,
    async run(ctx) {
      const s = await ctx.session();
      const wasScanning = s.hello?.scan.scanning;
      const mark = s.messages.length;
      await s.expectAck({ type: 'scan-stop', id: nextId('x') });
      if (wasScanning)
        await until(s, 'scan-complete (stopped)', () =>
          since(s, mark).some((m) => m.type === 'scan-complete' && m.reason === 'stopped'),
        );
      await s.expectAck({ type: 'scan-stop', id: nextId('x') });
      const t = await ctx.session();
      if (t.hello?.scan.scanning) fail('a new connection reports scanning: true after scan-stop');
      if (wasScanning) await s.expectAck({ type: 'scan-start', id: nextId('restore') });
      return wasScanning ? 'acked twice, scan-complete stopped; scan restarted' : 'acked twice while idle';
    },
  },
  {
    id: 'app.clear',
    title: 'clear is acked and answered with an empty snapshot',
    expect: 'ack + snapshot reason clear, total 0',
    ref: 'protocol: clear',
    exclusive: true,
    async run(ctx) {
      const s = await ctx.session();
      const mark = s.messages.length;
      await s.expectAck({ type: 'clear', id: nextId('c') });
      const parts = await readSnapshot(s, 'clear', mark);
      const last = parts[parts.length - 1]!;
      if (last.total !== 0) fail(`snapshot after clear holds ${last.total} devices`);
      return 'empty snapshot (reason clear)';
    },
  },
];
