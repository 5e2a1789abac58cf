// What the lazily loaded detail.js (the detail view and locate mode) uses of the page. The page is inlined
// into index.html, so a later chunk cannot import it: main.tsx hands these over as `globalThis.$bs`, and
// the chunk's build (build/lazy.ts) turns each of its imports into a read of that object. The keys are the
// imported names; a test checks that every name Detail.tsx imports is here.
import { Fragment, h } from 'preact';
import { actions } from './model/actions.ts';
import { history, intervalMs } from './model/device-table.ts';
import { alias, company, isPinned, kind } from './model/list.ts';
import { serviceName } from './model/names.ts';
import { deviceNow, needsDec, S } from './model/store.ts';
import { ago, btn, dl, line, mono, txt } from './views/Bits.tsx';

export const PAGE_API = {
  h,
  Fragment,
  actions,
  history,
  intervalMs,
  alias,
  company,
  isPinned,
  kind,
  serviceName,
  deviceNow,
  needsDec,
  S,
  ago,
  btn,
  dl,
  line,
  mono,
  txt,
};
