// Generated asset `names.json`: the full company and service name tables, fetched lazily by the page
// (which works without them). A pure function of the Nordic bluetooth-numbers-database files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

type Company = { code: number; name: string };
type Service = { uuid: string; name: string };
/** The file the page fetches: `c` company id (decimal) -> name, `s` 16-bit service UUID -> name. */
export type NamesFile = { c: Record<string, string>; s: Record<string, string> };

/** Builds the names file deterministically (sorted keys, trimmed names, 16-bit UUIDs only). */
export function buildNames(companies: readonly Company[], services: readonly Service[]): NamesFile {
  const c: Record<string, string> = {};
  for (const { code, name } of [...companies].sort((a, b) => a.code - b.code))
    if (Number.isInteger(code) && code >= 0 && code < 65536 && name?.trim()) c[code] = name.trim();
  const s: Record<string, string> = {};
  for (const { uuid, name } of [...services].sort((a, b) => (a.uuid < b.uuid ? -1 : 1)))
    if (/^[0-9a-f]{4}$/i.test(uuid) && name?.trim()) s[uuid.toLowerCase()] = name.trim();
  return { c, s };
}

/**
 * Emits `names.json` when the assigned-numbers folder exists (by default `../shared/data/assigned-numbers`
 * seen from the repository root); without it the build goes on and the page uses its built-in names.
 */
export function namesAsset(dir: string): Plugin {
  return {
    name: 'bleshark-names',
    apply: 'build',
    generateBundle() {
      const cf = join(dir, 'nordic_company_ids.json');
      const sf = join(dir, 'nordic_service_uuids.json');
      if (!existsSync(cf) || !existsSync(sf)) {
        this.warn(`names.json not emitted: ${dir} is missing`);
        return;
      }
      const names = buildNames(JSON.parse(readFileSync(cf, 'utf8')), JSON.parse(readFileSync(sf, 'utf8')));
      this.emitFile({ type: 'asset', fileName: 'names.json', source: JSON.stringify(names) });
    },
  };
}
