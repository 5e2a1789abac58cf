// Assembles one batch or snapshot frame from items that are already JSON text, cutting at an item count
// and a byte target. Records come pre-encoded (and pre-trimmed to fit a frame), so a frame is a join.
import { utf8Length } from '@bleshark/shared-protocol';

/** Bytes reserved for the envelope around the items (type, seq, t, reason, total, more, keys). */
export const ENVELOPE_BYTES = 128;

export type FrameItemKind = 'd' | 'u' | 'x';

export class FrameBuilder {
  /** Most items in one frame (records + updates + removals). */
  readonly maxItems: number;
  /** The frame is cut once it would exceed this many bytes (a single larger item still gets its own frame). */
  readonly targetBytes: number;
  #parts: Record<FrameItemKind, string[]> = { d: [], u: [], x: [] };
  #bytes = ENVELOPE_BYTES;
  #items = 0;

  constructor(maxItems: number, targetBytes: number) {
    this.maxItems = maxItems;
    this.targetBytes = targetBytes;
  }

  get items(): number {
    return this.#items;
  }

  /** Adds an item when it fits in this frame; the first item of a frame always fits. */
  add(kind: FrameItemKind, json: string): boolean {
    const bytes = utf8Length(json) + 1;
    if (this.#items > 0 && (this.#items >= this.maxItems || this.#bytes + bytes > this.targetBytes))
      return false;
    this.#parts[kind].push(json);
    this.#bytes += bytes;
    this.#items++;
    return true;
  }

  /** The batch frame, then the builder is empty again. */
  batch(seq: number, t: number): string {
    const { d, u, x } = this.#parts;
    let s = `{"type":"batch","seq":${seq},"t":${t}`;
    if (d.length) s += `,"d":[${d.join(',')}]`;
    if (u.length) s += `,"u":[${u.join(',')}]`;
    if (x.length) s += `,"x":[${x.join(',')}]`;
    this.#reset();
    return `${s}}`;
  }

  /** A snapshot part (records only), then the builder is empty again. */
  snapshot(seq: number, t: number, reason: string, total: number, more: boolean): string {
    const s = `{"type":"snapshot","seq":${seq},"t":${t},"reason":"${reason}","total":${total},"more":${more},"d":[${this.#parts.d.join(',')}]}`;
    this.#reset();
    return s;
  }

  #reset(): void {
    this.#parts = { d: [], u: [], x: [] };
    this.#bytes = ENVELOPE_BYTES;
    this.#items = 0;
  }
}
