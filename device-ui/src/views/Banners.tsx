// Plain-language notices: version mismatch, device restart, refused connection, command results.
import { PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import { actions } from '../model/actions.ts';
import { S } from '../model/store.ts';

export function Banners() {
  const h = S.hello;
  return (
    <>
      {S.mismatch && h && (
        <p class="ban wa" role="alert">
          Page and firmware were built from different versions (page {PROTOCOL_VERSION}/{SCHEMA_HASH}, device{' '}
          {h.protocol}/{h.schema}); showing what it can.
        </p>
      )}
      {S.restarted && (
        <p class="ban" role="status">
          The device restarted.{' '}
          <button type="button" onClick={() => actions.dismiss('restarted')}>
            OK
          </button>
        </p>
      )}
      {S.conn === 'stopped' && (
        <p class="ban er" role="alert">
          {S.closeCode === 1008
            ? 'Refused (1008): wrong or missing ?token=, foreign origin, or command flood.'
            : 'Closed by the device.'}{' '}
          <button type="button" onClick={actions.retry}>
            Retry
          </button>
        </p>
      )}
    </>
  );
}
