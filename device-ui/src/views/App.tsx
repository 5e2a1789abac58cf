// The root view: re-renders the whole (small, windowed) tree from the top whenever the model changes
// (Preact batches the forceUpdate calls of one task into one render).
import { Component } from 'preact';
import { S, subscribe } from '../model/store.ts';
import { Banners } from './Banners.tsx';
import { Detail } from './Detail.tsx';
import { DeviceList } from './DeviceList.tsx';
import { Diag } from './Diag.tsx';
import { FilterBar } from './FilterBar.tsx';
import { Header } from './Header.tsx';

export class App extends Component {
  override componentDidMount() {
    subscribe(() => this.forceUpdate());
  }
  override render() {
    // Locate mode, else the detail view, of a device still in the table.
    const sel = S.table.m.get(S.locate ?? S.sel ?? -1);
    return (
      <>
        <Header />
        <Banners />
        <FilterBar />
        <DeviceList />
        <Diag />
        {sel && <Detail d={sel} />}
      </>
    );
  }
}
