import { toHex } from './hex.js';

/** The Bluetooth SIG base UUID after its first 8 hex digits. */
const BASE = '-0000-1000-8000-00805f9b34fb';
const dash = (h: string): string =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

/** 128-bit dashed form of a 4-, 8- or 32-hex-digit UUID; anything else is returned unchanged. */
export function toLongUuid(u: string): string {
  const n = u.length;
  return n === 4 ? `0000${u}${BASE}` : n === 8 ? u + BASE : n === 32 ? dash(u) : u;
}

/** A 128-bit UUID on the SIG base collapsed to 4 (or 8) hex digits; others are returned unchanged. */
export function shortUuid(u: string): string {
  return u.length === 36 && u.endsWith(BASE) ? u.slice(u.startsWith('0000') ? 4 : 0, 8) : u;
}

/** Wire form of a UUID stored little-endian in an AD structure (2, 4 or 16 bytes). */
export function uuidFromLe(bytes: Uint8Array): string {
  const h = toHex(bytes.slice().reverse());
  return h.length === 4 ? h : shortUuid(toLongUuid(h));
}

/** Any 16/32/128-bit spelling (any case, dashes optional, optional 0x) to the wire form. */
export function normalizeUuid(s: string): string | undefined {
  const h = s.trim().toLowerCase().replace(/^0x/, '');
  if (/^([0-9a-f]{4}){1,2}$/.test(h)) return h.length === 8 ? shortUuid(toLongUuid(h)) : h;
  const flat = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(h) ? h.replace(/-/g, '') : h;
  return /^[0-9a-f]{32}$/.test(flat) ? shortUuid(toLongUuid(flat)) : undefined;
}
