import { render } from 'preact';
import { actions } from './model/actions.ts';
import { refresh } from './model/list.ts';
import { addNames } from './model/names.ts';
import { start } from './model/session.ts';
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
// The full company / service name tables, when the device has them (the page works without).
fetch('names.json')
  .then((r) => r.json())
  .then((n) => {
    addNames(n);
    refresh(true);
    bump();
  })
  .catch(() => {});
