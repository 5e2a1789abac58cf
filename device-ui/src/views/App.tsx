// The root view: re-renders the whole (small, windowed) tree from the top whenever the model changes
// (Preact batches the forceUpdate calls of one task into one render).
import { Component } from 'preact';
import { actions } from '../model/actions.ts';
import { mods, need } from '../model/lazy.ts';
import { S, subscribe } from '../model/store.ts';
import { Banners } from './Banners.tsx';
import { btn } from './Bits.tsx';
import { DeviceList } from './DeviceList.tsx';
import { Diag } from './Diag.tsx';
import { Header, panelOpen } from './Header.tsx';

export class App extends Component {
  override componentDidMount() {
    subscribe(() => this.forceUpdate());
    if (panelOpen) need('panel');
  }
  override render() {
    // The detail view (or locate mode) of the followed device; detail.js is loaded on first open.
    const sel = S.sel;
    const P = mods.panel;
    return (
      <>
        <Header />
        <Banners />
        {panelOpen &&
          (P ? (
            <P.FilterBar />
          ) : (
            P === null && (
              <p class="ban er" role="alert">
                Filters unavailable (panel.js did not load). {btn('Retry', () => need('panel'))}
              </p>
            )
          ))}
        <DeviceList />
        <Diag />
        {sel &&
          (S.det ? (
            <S.det d={sel} />
          ) : (
            S.det === null && (
              <p class="ban er" role="alert">
                Details unavailable (detail.js did not load). {btn('OK', () => actions.select(undefined))}
              </p>
            )
          ))}
      </>
    );
  }
}
