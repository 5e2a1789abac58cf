// The contract with `extras.js`, the lazily loaded companion asset: the shared advertisement decoders and
// name tables, the scan controls, filters, detail view, locate mode and export. The page works without it
// as a live monitor (connection, status, the device list); the tools arrive with it.
import type { Decoded, DecodeInput } from '@bleshark/shared-protocol';
import type { FunctionComponent } from 'preact';
import type { jsx } from 'preact/jsx-runtime';
import type { actions } from './actions.ts';
import type { Dev } from './device-table.ts';
import type { refresh } from './list.ts';
import type { save } from './persist.ts';
import type { send, syncFilter } from './session.ts';
import type { Compare, SortKey } from './sort.ts';
import type { bump, S } from './store.ts';

/** What the page hands to extras.js: its model, actions and JSX runtime, so there is one of each. */
export type ExtrasApi = {
  S: typeof S;
  bump: typeof bump;
  a: typeof actions;
  jsx: typeof jsx;
  send: typeof send;
  refresh: typeof refresh;
  save: typeof save;
  syncFilter: typeof syncFilter;
};

/** What extras.js gives back from `mount`. */
export type Extras = {
  classify: (d: DecodeInput) => Decoded | undefined;
  companyName: (id: number) => string | undefined;
  comparator: (key: SortKey) => Compare;
  Controls: FunctionComponent;
  FilterBar: FunctionComponent;
  Diag: FunctionComponent;
  Detail: FunctionComponent<{ d: Dev }>;
  Locate: FunctionComponent<{ d: Dev }>;
};

/** The loaded extras, once they arrived. */
export const ext: { x?: Extras } = {};
