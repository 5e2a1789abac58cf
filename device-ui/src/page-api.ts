// What the lazily loaded chunks (detail.js: details and locate mode; diag.js: the diagnostics' figures;
// panel.js: the filter panel) use of the page. The page is inlined into index.html, so a later chunk cannot
// import it: main.tsx hands
// these over as `globalThis.$bs`, and each chunk's build (build/lazy.ts) turns its imports from modules it
// does not bundle into reads of that object. The keys are the imported names; a test checks that every name
// the chunks import from the page is here.
import { Fragment, h } from 'preact';
import { actions } from './model/actions.ts';
import { when } from './model/clock.ts';
import { NO_FILTER } from './model/filters.ts';
import { alias, company, isPinned, kind, newCount, redraw } from './model/list.ts';
import { companyName, serviceName } from './model/names.ts';
import { visible } from './model/sanitize.ts';
import { bump, deviceNow, S } from './model/store.ts';

export const PAGE_API = {
  h,
  Fragment,
  actions,
  alias,
  company,
  isPinned,
  kind,
  redraw,
  serviceName,
  companyName,
  newCount,
  NO_FILTER,
  when,
  bump,
  deviceNow,
  S,
  visible,
};
