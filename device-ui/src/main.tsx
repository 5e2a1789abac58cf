import { render } from 'preact';
import { jsx } from 'preact/jsx-runtime';
import { actions } from './model/actions.ts';
import { type Extras, ext } from './model/extras.ts';
import { refresh } from './model/list.ts';
import { save } from './model/persist.ts';
import { send, start, syncFilter } from './model/session.ts';
import { bump, S } from './model/store.ts';
import { App } from './views/App.tsx';
import { measure } from './views/DeviceList.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);
measure();
addEventListener('resize', measure);
start();
// The calm cadence: re-sort (unless frozen), age the "last seen" column, count down reconnects.
setInterval(() => {
  refresh(false);
  bump();
}, 1000);
addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  if (S.locate !== undefined) actions.locate(undefined);
  else actions.select(undefined);
});

/** Loads extras.js (decoders, controls, filters, details, locate, export). */
async function loadExtras(): Promise<void> {
  try {
    const url = import.meta.env.DEV ? '/src/extras/index.ts' : './extras.js';
    const m = (await import(/* @vite-ignore */ url)) as { mount: (api: unknown) => Extras };
    ext.x = m.mount({ S, bump, a: actions, jsx, send, refresh, save, syncFilter });
    refresh(true);
    bump();
  } catch {
    // Without extras.js the live list still works.
  }
}
void loadExtras();
