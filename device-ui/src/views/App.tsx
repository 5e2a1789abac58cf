import { Component } from 'preact';
import { ext } from '../model/extras.ts';
import { S, subscribe } from '../model/store.ts';
import { Banners } from './Banners.tsx';
import { DeviceList } from './DeviceList.tsx';
import { Header } from './Header.tsx';

/** The root view: re-renders the whole (small, windowed) tree whenever the model changes. */
export class App extends Component {
  override componentDidMount() {
    subscribe(() => this.forceUpdate());
  }
  override render() {
    const x = ext.x;
    const sel = S.sel === undefined ? undefined : S.table.m.get(S.sel);
    const loc = S.locate === undefined ? undefined : S.table.m.get(S.locate);
    return (
      <>
        <Header />
        <Banners />
        {x && <x.FilterBar />}
        <DeviceList />
        {x && <x.Diag />}
        {x && sel && <x.Detail d={sel} />}
        {x && loc && <x.Locate d={loc} />}
      </>
    );
  }
}
