import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWN_SCHEMAS, describe as describeSchema, UP_SCHEMAS } from '@bleshark/shared-protocol';
import { describe, expect, it } from 'vitest';
import * as decoders from '../src/decode.ts';
import { LAZY_CHUNKS } from './lazy.ts';
import {
  chunkMangle,
  INTERNAL_PROPS,
  internalProps,
  PAGE_PROPS,
  pageMangle,
  SHARED_NAMES,
  SHARED_PROPS,
} from './mangle.ts';

/** Every object key that appears in the canonical text of the wire schemas. */
const wireKeys = new Set(
  [...describeSchema({ up: UP_SCHEMAS, down: DOWN_SCHEMAS }).matchAll(/"([A-Za-z_$][\w$]*)":/g)].map(
    (m) => m[1] ?? '',
  ),
);

/** The non-test TypeScript files under a folder, recursively. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
/** The sources of the page and the chunks (TypeScript), and Preact's module build (minified). */
const ts = [...sources(here('../src')), ...sources(here('../../shared-protocol/src'))].map((f) =>
  readFileSync(f, 'utf8'),
);
/** Preact's ES module build, the one Vite bundles into the page (its package's `module`). */
const preact = readFileSync(
  join(createRequire(import.meta.url).resolve('preact/package.json'), '../dist/preact.module.js'),
  'utf8',
);

const esc = (s: string) => s.replace(/\$/g, '\\$');
/**
 * Where `s` is a property: after a dot (`a.s`, `a?.s`), as an object key (`{s:`, `, s:`, `'s':`, `'s' in`),
 * and in TypeScript also a shorthand key (`{ s }`, `, s,`; import and export lines aside). Also matches a
 * parameter with a type annotation: stricter than needed.
 */
const asProperty = (s: string, shorthand: boolean) =>
  new RegExp(
    `(?<=[\\w$)\\]]\\??)\\.${esc(s)}(?![\\w$])|[{,]\\s*${esc(s)}\\s*:|['"\`]${esc(s)}['"\`]\\s*(?:in\\b|:)` +
      (shorthand ? `|^(?!\\s*(?:import|export)\\b).*[{,]\\s*${esc(s)}\\s*[,}]` : ''),
    'm',
  );

/** The modules a lazy chunk bundles. */
const chunkModules = [...new Set(LAZY_CHUNKS.flatMap((c) => [c.entry, ...c.own]))];
/** Every name after a dot, brace or comma in the modules a chunk bundles: what it may read of the page. */
const chunkNames = new Set(
  chunkModules.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/[.{,]\s*(\w+)/g)].map((m) => m[1] ?? '')),
);

describe('page-internal property names', () => {
  it('are none of the wire fields, stored keys, export columns, decode.js or chunk exports', () => {
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
      // What the page reads off a loaded chunk module (model/lazy.ts): its entry's exports.
      ...LAZY_CHUNKS.flatMap((c) =>
        [
          ...readFileSync(c.entry, 'utf8').matchAll(
            /export\s+(?:const|function)\s+(\w+)|export\s*\{([^}]*)\}/g,
          ),
        ].flatMap((m) => (m[1] ?? m[2] ?? '').split(/[\s,]+/)),
      ),
    ].flatMap((k) => k.split(' '));
    expect(INTERNAL_PROPS.filter((p) => outside.includes(p))).toEqual([]);
  });

  it('shortened in the page alone are never read by a lazy chunk', () => {
    expect(PAGE_PROPS.filter((p) => chunkNames.has(p))).toEqual([]);
  });

  it('never appear as a string in the code (a string may be a computed key: mods[name], S[key])', () => {
    const code = ts.map((text) => text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''));
    const strings = new Set(
      code.flatMap((text) => [...text.matchAll(/(['"`])([\w$]+)\1/g)].map((m) => m[2])),
    );
    // actions.dismiss('restarted' | 'note') compares its argument; it never reads S by it.
    const compared = ['restarted', 'note'];
    expect(INTERNAL_PROPS.filter((p) => strings.has(p) && !compared.includes(p))).toEqual([]);
  });

  it('are never a JSX attribute (a props key) of the views', () => {
    const attrs = new Set(
      sources(here('../src'))
        .filter((f) => f.endsWith('.tsx'))
        .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/<[\w.]+\s[^>]*?/gs)])
        .flatMap((m) => [...m[0].matchAll(/\s([\w-]+)=/g)].map((a) => a[1] ?? '')),
    );
    expect(INTERNAL_PROPS.filter((p) => attrs.has(p))).toEqual([]);
  });

  it('shared with the chunks get distinct fixed names that no source uses as a property', () => {
    const short = Object.values(SHARED_NAMES);
    expect(Object.keys(SHARED_NAMES)).toEqual([...SHARED_PROPS]);
    expect(new Set(short).size).toBe(short.length);
    for (const s of short) expect(s).toMatch(/^[A-Za-z$][\w$]*$/);
    // The scan finds properties: the page API's model S, Preact's vnode children, a decoded label.
    expect(ts.some((text) => asProperty('S', true).test(text))).toBe(true);
    expect(asProperty('__k', false).test(preact)).toBe(true);
    expect(ts.some((text) => asProperty('label', false).test(text))).toBe(true);
    const used = short.filter(
      (s) => ts.some((text) => asProperty(s, true).test(text)) || asProperty(s, false).test(preact),
    );
    expect(used).toEqual([]);
  });

  it('are shortened alike in the page and in each chunk', () => {
    expect(pageMangle().cache).toEqual(SHARED_NAMES);
    expect(chunkMangle().cache).toEqual(SHARED_NAMES);
    for (const p of SHARED_PROPS) expect(chunkMangle().include.test(p), p).toBe(true);
    for (const p of PAGE_PROPS) expect(chunkMangle().include.test(p), p).toBe(false);
    for (const p of INTERNAL_PROPS) expect(pageMangle().include.test(p), p).toBe(true);
  });

  it('are matched whole', () => {
    const re = internalProps();
    expect(re.test('note')).toBe(true);
    expect(re.test('notes')).toBe(false);
    expect(re.test('selectedIndex')).toBe(false);
  });
});
