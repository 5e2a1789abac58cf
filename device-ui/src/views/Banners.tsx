// Plain-language notices: version mismatch, device restart, refused connection, command results.
import { PROTOCOL_VERSION, SCHEMA_HASH } from '@bleshark/shared-protocol';
import type { ComponentChildren } from 'preact';
import { actions } from '../model/actions.ts';
import { S } from '../model/store.ts';
import { btn } from './Bits.tsx';

/** One notice; `role` alert for problems (class wa / er), status for news. */
const ban = (c: string, ...children: ComponentChildren[]) => (
  <p class={`ban ${c}`} role={c ? 'alert' : 'status'}>
    {children}
  </p>
);

export function Banners() {
  const h = S.hello;
  return (
    <>
      {S.mismatch &&
        h &&
        ban(
          'wa',
          `Page and firmware versions differ (page ${PROTOCOL_VERSION}/${SCHEMA_HASH}, device ${h.protocol}/${h.schema})`,
        )}
      {S.restarted &&
        ban(
          '',
          'The device restarted. ',
          btn('OK', () => actions.dismiss('restarted')),
        )}
      {S.conn === 'stopped' &&
        ban(
          'er',
          S.closeCode === 1008 ? 'Closed (1008): too many commands. ' : 'Closed by the device. ',
          btn('Retry', actions.reconnect),
        )}
      {S.conn === 'refused' &&
        ban(
          'er',
          "Refused before the connection opened, or no answer: check the ?token= in the address and that you are on the Nano's Wi-Fi. ",
          btn('Retry', actions.reconnect),
        )}
      {S.note &&
        ban(
          '',
          `${S.note} `,
          btn('×', () => actions.dismiss('note'), { 'aria-label': 'Dismiss' }),
        )}
    </>
  );
}
