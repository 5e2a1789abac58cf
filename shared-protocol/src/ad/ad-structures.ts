/** One AD structure: its type byte, the offset of its length byte, and its data (a view, not a copy). */
export type AdStructure = { type: number; offset: number; data: Uint8Array };

/**
 * Splits advertising data (or a scan response) into AD structures.
 * Zero length bytes are padding: they are skipped, not reported, and parsing goes on after them
 * (controllers that concatenate a zero-padded advertisement with its scan response need this).
 * A length that runs past the end stops parsing; the structures before it are kept.
 */
export function parseAdStructures(bytes: Uint8Array): { structures: AdStructure[]; error?: string } {
  const structures: AdStructure[] = [];
  for (let i = 0; i < bytes.length; ) {
    const len = bytes[i]!;
    const rest = bytes.length - i - 1;
    if (!len) i++;
    else if (len > rest)
      return { structures, error: `AD structure at offset ${i} claims ${len} bytes, ${rest} remain` };
    else {
      structures.push({ type: bytes[i + 1]!, offset: i, data: bytes.subarray(i + 2, i + 1 + len) });
      i += len + 1;
    }
  }
  return { structures };
}
