// Page-internal property names that the minifier may shorten (Rolldown's mangleProps; the page is one
// chunk). Only names that never leave the page belong here: model fields, named actions, socket-client
// callbacks. Never a wire field (shared-protocol schemas), a localStorage key (pins, aliases), an export
// column or JSON key, a decode.js export, a device field that decode.js reads (export: `r`, `h`, `hs`,
// `a`), a name that a lazy chunk (detail.js, diag.js: build/lazy.ts) reads of the page or a DOM property:
// mangle.test.ts checks all but the last.

// (The filter panel's names, read by panel.js, are not shortened: devT, baseline, view, form, dur, setFilter,
// markBaseline, setSort, setForm, startScan.)
export const INTERNAL_PROPS = [
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
] as const;

/** The `include` pattern for mangleProps: exactly these names. */
export const internalProps = (): RegExp => new RegExp(`^(?:${INTERNAL_PROPS.join('|')})$`);
