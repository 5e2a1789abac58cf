// extras.js: the lazily loaded companion of the page (see model/extras.ts for the contract).
import { addNames, classify, companyName } from '@bleshark/shared-protocol';
import type { Extras, ExtrasApi } from '../model/extras.ts';
import { comparator } from '../model/sort.ts';
import { setApi } from './api.ts';
import { Controls } from './Controls.tsx';
import { Detail } from './Detail.tsx';
import { Diag } from './Diag.tsx';
import css from './extras.css?inline';
import { FilterBar } from './FilterBar.tsx';
import { Locate } from './Locate.tsx';

export function mount(api: ExtrasApi): Extras {
  setApi(api);
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  // The full company / service name tables, when the device has them (it works without).
  fetch('names.json')
    .then((r) => (r.ok ? r.json() : undefined))
    .then((n?: { c?: Record<number, string>; s?: Record<string, string> }) => {
      if (!n) return;
      addNames(n.c ?? {}, n.s ?? {});
      api.bump();
    })
    .catch(() => {});
  return { classify, companyName, comparator, Controls, FilterBar, Diag, Detail, Locate };
}
