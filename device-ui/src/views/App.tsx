import { Component } from 'preact';
import { S, subscribe } from '../model/store.ts';
import { Banners } from './Banners.tsx';
import { Detail } from './Detail.tsx';
import { DeviceList } from './DeviceList.tsx';
import { Diag } from './Diag.tsx';
import { FilterBar } from './FilterBar.tsx';
import { Header } from './Header.tsx';
import { Locate } from './Locate.tsx';

/** The root view: re-renders the whole (small, windowed) tree whenever the model changes. */
export class App extends Component {
  override componentDidMount() {
    subscribe(() => this.forceUpdate());
  }
  override render() {
    const sel = S.sel === undefined ? undefined : S.table.m.get(S.sel);
    const loc = S.locate === undefined ? undefined : S.table.m.get(S.locate);
    return (
      <>
        <Header />
        <Banners />
        <FilterBar />
        <DeviceList />
        <Diag />
        {sel && <Detail d={sel} />}
        {loc && <Locate d={loc} />}
      </>
    );
  }
}
