import { render } from 'preact';
import { actions } from './model/actions.ts';
import { redraw } from './model/list.ts';
import { addNames } from './model/names.ts';
import { S } from './model/store.ts';
import { start } from './model/stream.ts';
import { PAGE_API } from './page-api.ts';
import { App } from './views/App.tsx';
import { measure } from './views/DeviceList.tsx';
import './styles.css';

// What detail.js uses of the page (it cannot import the inlined page).
(globalThis as unknown as { $bs: typeof PAGE_API }).$bs = PAGE_API;
render(<App />, document.getElementById('app')!);
measure();
addEventListener('resize', measure);
start();
// The calm cadence: re-sort (unless frozen), age the "last seen" column, count down reconnects.
setInterval(redraw, 1000, false);
// Esc leaves locate mode, else closes the details.
addEventListener('keydown', (e) => {
  if (e.key === 'Escape') S.locate ? actions.locate(false) : actions.select(undefined);
});
/** Re-filters and re-renders once an optional asset has arrived (or failed). */
const now = () => redraw(true);
// The optional assets, after the first paint; the page works without either. The full company / service
// name tables, when the device has them:
fetch('names.json')
  .then((r) => r.json())
  .then(addNames)
  .then(now, () => {});
// The advertisement decoders (decoded labels, tracker filter, decoded payloads and AD type names):
import(/* @vite-ignore */ import.meta.env.DEV ? '/src/decode.ts' : './decode.js')
  .then(
    (m) => {
      S.dec = m;
    },
    () => {
      S.dec = null;
    },
  )
  .then(now);
