import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundles, importedNames, importsFromPage, LAZY_CHUNKS } from './lazy.ts';

const read = (f: string) => readFileSync(f, 'utf8');
const api = read(new URL('../src/page-api.ts', import.meta.url).pathname);

describe('the lazy chunks and the page API', () => {
  it('hands each chunk every name its modules import from modules it does not bundle', () => {
    const given = new Set(importedNames(api));
    for (const c of LAZY_CHUNKS) {
      const owned = new Set([c.entry, ...c.own]);
      for (const f of owned) {
        const fromPage = importedNames(read(f), (s) => !bundles(owned, f, s));
        expect(
          fromPage.filter((n) => !given.has(n)),
          `${c.fileName}: ${f}`,
        ).toEqual([]);
      }
    }
    for (const n of [...given]) expect(api).toMatch(new RegExp(`^  ${n},$`, 'm'));
  });

  it('turns imports into reads of the global, leaving type-only names and bundled modules out', () => {
    expect(importsFromPage(`import { a, type B, c as d } from "../x.ts";\nf(a, d);`)).toBe(
      'const{a,c:d}=globalThis.$bs;\nf(a, d);',
    );
    expect(importsFromPage(`import { type B } from "../x.ts";`)).toBe('');
    expect(importsFromPage(`import { a } from "./own.ts";`, (s) => s === './own.ts')).toBe(
      `import { a } from "./own.ts";`,
    );
    expect(() => importsFromPage(`import x from "y";`)).toThrow(/lazy chunk/);
  });
});
