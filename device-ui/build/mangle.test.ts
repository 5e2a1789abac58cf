import { readFileSync } from 'node:fs';
import { DOWN_SCHEMAS, describe as describeSchema, UP_SCHEMAS } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import * as decoders from '../src/decode.ts';
import { LAZY_CHUNKS } from './lazy.ts';
import { INTERNAL_PROPS, internalProps } from './mangle.ts';

/** Every object key that appears in the canonical text of the wire schemas. */
const wireKeys = new Set(
  [...describeSchema({ up: UP_SCHEMAS, down: DOWN_SCHEMAS }).matchAll(/"([A-Za-z_$][\w$]*)":/g)].map(
    (m) => m[1] ?? '',
  ),
);

describe('page-internal property names', () => {
  it('are none of the wire fields, stored keys, export columns or decode.js exports', () => {
    const outside = [
      ...wireKeys,
      'pins',
      'aliases',
      'address type name alias label rssi tx connectable companies first last firstSeen lastSeen exported count interval_ms pinned rssi_history',
      ...'device epoch t filter devices'.split(' '),
      // The connection states, which key the header's labels (CONN).
      ...'connecting live retry refused offline hidden stopped'.split(' '),
      ...Object.keys(decoders),
      // The device fields that decode.js (built without these names shortened) reads when exporting.
      ...'r h hs a'.split(' '),
      // Any property a lazy chunk (built apart, see lazy.ts) may read of the page: every name after a dot,
      // brace or comma in the modules it bundles.
      ...LAZY_CHUNKS.flatMap((c) => [c.entry, ...c.own]).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/[.{,]\s*(\w+)/g)].map((m) => m[1] ?? ''),
      ),
    ].flatMap((k) => k.split(' '));
    expect(INTERNAL_PROPS.filter((p) => outside.includes(p))).toEqual([]);
  });

  it('are matched whole', () => {
    const re = internalProps();
    expect(re.test('note')).toBe(true);
    expect(re.test('notes')).toBe(false);
    expect(re.test('selectedIndex')).toBe(false);
  });
});
