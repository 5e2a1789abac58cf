// Pins and aliases, kept in localStorage keyed by device address. Storage may be missing or full
// (private mode, quota): then they live for the session only.

const KEY = 'bleshark.v1';

export type Saved = { pins: string[]; aliases: Record<string, string> };

/** The saved pins and aliases; anything unreadable counts as none (aliases are shown as text only). */
export function load(): Saved {
  try {
    const v = JSON.parse(localStorage.getItem(KEY)!) as Saved;
    if (Array.isArray(v.pins) && typeof v.aliases === 'object' && v.aliases) return v;
  } catch {
    // Fall through: nothing saved, or storage unavailable.
  }
  return { pins: [], aliases: {} };
}

export function save(s: Saved): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Storage unavailable: keep them in memory.
  }
}
