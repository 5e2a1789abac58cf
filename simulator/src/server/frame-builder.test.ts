import { parseDown } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import { FrameBuilder } from './frame-builder.js';

describe('FrameBuilder', () => {
  it('builds a batch with only the sections that have items', () => {
    const fb = new FrameBuilder(128, 1400);
    fb.add('u', '[1,-50]');
    fb.add('x', '9');
    expect(fb.batch(3, 100)).toBe('{"type":"batch","seq":3,"t":100,"u":[[1,-50]],"x":[9]}');
    expect(fb.items).toBe(0);
  });

  it('cuts at the item limit and at the byte target, but always takes a first item', () => {
    const fb = new FrameBuilder(2, 1400);
    expect(fb.add('u', '[1,-1]')).toBe(true);
    expect(fb.add('u', '[2,-1]')).toBe(true);
    expect(fb.add('u', '[3,-1]')).toBe(false);
    const small = new FrameBuilder(128, 200);
    expect(small.add('x', '1'.repeat(500))).toBe(true);
    expect(small.add('x', '2')).toBe(false);
  });

  it('builds snapshot parts that parse as protocol messages', () => {
    const fb = new FrameBuilder(128, 1400);
    fb.add(
      'd',
      JSON.stringify({
        id: 1,
        addr: 'aa',
        addrType: 'public',
        rssi: -1,
        conn: true,
        first: 0,
        last: 0,
        count: 1,
      }),
    );
    const text = fb.snapshot(1, 5, 'connect', 1, false);
    expect(parseDown(text)).toMatchObject({ ok: true, msg: { type: 'snapshot', total: 1, more: false } });
  });
});
