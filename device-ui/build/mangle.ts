// Page-internal property names that the minifier shortens (Rolldown's mangleProps). Two kinds:
//
// - PAGE_PROPS: used by the page's own bundle only (index.html), never by a lazy chunk: Rolldown picks their
//   short names, avoiding every other property name in the bundle. Besides the model's and the socket
//   client's own names this holds Preact's class-component API (lifecycle methods, setState, forceUpdate,
//   option hooks): Preact is bundled into the page alone, its one class component is App, and the chunks
//   get only `h` and `Fragment` (page-api.ts; build/lazy.test.ts fails for any other Preact import).
// - SHARED_PROPS: read or written by the lazy chunks (detail.js, diag.js, panel.js: build/lazy.ts) on the
//   page's objects: the model `S`, the actions, the page API handed over as `globalThis.$bs`. A chunk is
//   built apart, so these get fixed short names (SHARED_NAMES) that the page's build and every chunk's build
//   use alike (pageMangle, chunkMangle).
//
// Never a wire field (shared-protocol schemas), a localStorage key (pins, aliases), an export column or JSON
// key, a decode.js export or a field decode.js reads, a lazy chunk's export (the page reads it off the
// module), a JSX attribute (it is a props key), a string in the code (it may be a computed key: `diag` is
// one, model/lazy.ts `mods[name]`), or a DOM property that any code reads (`select`, `open`, `clear`,
// `toggle`, `state` are left out for that): mangle.test.ts checks all but the last.

/** Shortened in the page only; Rolldown names them. */
export const PAGE_PROPS = [
  // The model (store.ts)
  'retryAt',
  'restarted',
  'mismatch',
  'note',
  'devAt',
  'paused',
  'frozen',
  'movedAt',
  'baseAt',
  'top',
  'height',
  // The named actions (actions.ts)
  'scrolled',
  'dismiss',
  'setPaused',
  'stopScan',
  'reconnect',
  // The socket client's callbacks (connection.ts)
  'onState',
  'onOpen',
  'onFrame',
  // Preact's component API and option hooks (the page's own copy of Preact)
  'getDerivedStateFromProps',
  'getDerivedStateFromError',
  'getSnapshotBeforeUpdate',
  'componentWillReceiveProps',
  'shouldComponentUpdate',
  'componentWillMount',
  'componentDidMount',
  'componentWillUpdate',
  'componentDidUpdate',
  'componentWillUnmount',
  'componentDidCatch',
  'getChildContext',
  'contextType',
  'defaultProps',
  'forceUpdate',
  'setState',
  'debounceRendering',
  '_sb',
  'vnode',
  'diffed',
  'unmount',
] as const;

/** Shortened alike in the page and in each lazy chunk, to SHARED_NAMES. */
export const SHARED_PROPS = [
  // What every chunk module reads (the JSX factory's Fragment) and the actions
  'Fragment',
  'actions',
  // The model (store.ts) and its parts
  'table',
  'dec',
  'pend',
  'view',
  'baseline',
  'sel',
  'det',
  'form',
  'saved',
  'devT',
  'locate',
  'sound',
  'gone',
  'rebooted',
  'selEpoch',
  'closeCode',
  'frames',
  'bad',
  'err',
  'gaps',
  'opens',
  'dur',
  // The named actions (actions.ts, detail-actions.ts)
  'setFilter',
  'markBaseline',
  'resetBaseline',
  'resort',
  'setSort',
  'setForm',
  'startScan',
  'follow',
  'setSound',
  'togglePin',
  'setAlias',
  // The page API (page-api.ts) beyond the names above
  'isPinned',
  'redraw',
  'newCount',
  'NO_FILTER',
  'when',
  'bump',
  'deviceNow',
  'visible',
] as const;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * The short names SHARED_PROPS get, in order: capital letters (but S, the page API's model), then `$` and a
 * letter; mangle.test.ts checks that no source that goes into the page or a chunk, Preact's included, uses
 * one as a property.
 */
const SHORT = [...LETTERS.slice(0, 26).replace('S', ''), ...[...LETTERS].map((c) => `$${c}`)];

/** The fixed short name of each shared property. */
export const SHARED_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  SHARED_PROPS.map((p, i) => {
    const short = SHORT[i];
    if (!short) throw new Error('mangle.ts: more shared properties than short names');
    return [p, short];
  }),
);

/** Every name the page's build shortens. */
export const INTERNAL_PROPS: readonly string[] = [...PAGE_PROPS, ...SHARED_PROPS];

const exactly = (names: readonly string[]): RegExp => new RegExp(`^(?:${names.join('|')})$`);

/** The `include` pattern of the page's mangleProps: exactly these names. */
export const internalProps = (): RegExp => exactly(INTERNAL_PROPS);

/** The page's mangleProps: every internal name, the shared ones to their fixed names. */
export const pageMangle = () => ({ include: internalProps(), cache: { ...SHARED_NAMES } });

/** A lazy chunk's mangleProps: only the shared names, to the same fixed names as the page's. */
export const chunkMangle = () => ({ include: exactly(SHARED_PROPS), cache: { ...SHARED_NAMES } });
