// Plain-language notices: version mismatch, device restart, refused connection, command results.

import { PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import type { ComponentChildren } from 'preact';
import { actions } from '../model/actions.ts';
import { S } from '../model/store.ts';

/** One notice; `role` alert for problems, status for news. */
const Ban = ({ c, children }: { c?: string; children: ComponentChildren }) => (
  <p class={`ban ${c ?? ''}`} role={c ? 'alert' : 'status'}>
    {children}
  </p>
);

export function Banners() {
  const h = S.hello;
  return (
    <>
      {S.mismatch && h && (
        <Ban c="wa">
          Page and firmware were built from different versions (page {PROTOCOL_VERSION}/{SCHEMA_HASH}, device{' '}
          {h.protocol}/{h.schema}); showing what it can.
        </Ban>
      )}
      {S.restarted && (
        <Ban>
          The device restarted. <button onClick={() => actions.dismiss('restarted')}>OK</button>
        </Ban>
      )}
      {S.conn === 'stopped' && (
        <Ban c="er">
          {S.closeCode === 1008
            ? 'Refused (1008): wrong or missing ?token=, foreign origin, or command flood.'
            : 'Closed by the device.'}{' '}
          <button onClick={actions.retry}>Retry</button>
        </Ban>
      )}
      {S.note && (
        <Ban>
          {S.note}{' '}
          <button aria-label="Dismiss" onClick={() => actions.dismiss('note')}>
            ×
          </button>
        </Ban>
      )}
    </>
  );
}
