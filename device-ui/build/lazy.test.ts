import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importedNames, importsFromPage } from './lazy.ts';

const src = (f: string) => readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8');

describe('detail.js and the page API', () => {
  it('hands detail.js every name Detail.tsx imports, besides h and Fragment', () => {
    const api = src('page-api.ts');
    const given = new Set(importedNames(api));
    expect(importedNames(src('views/Detail.tsx')).filter((n) => !given.has(n))).toEqual([]);
    for (const n of [...given]) expect(api).toMatch(new RegExp(`^  ${n},$`, 'm'));
  });

  it('turns imports into reads of the global, leaving type-only names out', () => {
    expect(importsFromPage(`import { a, type B, c as d } from "../x.ts";\nf(a, d);`)).toBe(
      'const{a,c:d}=globalThis.$bs;\nf(a, d);',
    );
    expect(importsFromPage(`import { type B } from "../x.ts";`)).toBe('');
    expect(() => importsFromPage(`import x from "y";`)).toThrow(/detail\.js/);
  });
});
