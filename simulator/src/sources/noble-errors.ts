// Every way the real noble can fail to give us a scanning adapter, as a SourceError whose message says
// what happened and what to do about it. One table; noble-source.ts and the docs use these codes.
import { SourceError } from './scan-source.js';

export const SETCAP_LINE = 'sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))';
const FALLBACK = 'use --source demo, or --source replay / hci-replay with a recording';

/** Stable codes of the noble source's errors, each with the fix (also in simulator/HARDWARE.md). */
export const NOBLE_ERROR_CODES = {
  'no-kernel-bluetooth': `this kernel has no Bluetooth socket support (EAFNOSUPPORT): ${FALLBACK}`,
  'no-permission': `node may not open raw HCI sockets: run ${SETCAP_LINE} (or run as root)`,
  'no-adapter':
    'no Bluetooth adapter found (ENODEV): plug one in, or check `hciconfig -a` / `bluetoothctl list`',
  'adapter-off': 'the Bluetooth adapter is off: `rfkill unblock bluetooth` and `bluetoothctl power on`',
  'adapter-busy': 'the adapter is in use by another program (EBUSY): stop it, or choose another adapter',
  unauthorized: 'the OS refused Bluetooth access: on macOS allow Bluetooth for your terminal app',
  unsupported: 'this adapter does not support Bluetooth Low Energy (needs HCI 4.0 or later)',
  'native-module': '@abandonware/bluetooth-hci-socket failed to build or load: reinstall with build tools',
  'noble-missing': '@abandonware/noble is not installed: run npm install in the project',
  timeout: 'the adapter did not report poweredOn in time',
  'noble-failed': 'noble failed',
} as const;

export type NobleErrorCode = keyof typeof NOBLE_ERROR_CODES;

type Errno = { code?: unknown; errno?: unknown; message?: unknown; syscall?: unknown };

const describe = (err: unknown): string =>
  err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);

/** A SourceError of `code` whose message is "noble: <the fix>" plus the underlying detail. */
export function nobleError(code: NobleErrorCode, detail?: string, cause?: unknown): SourceError {
  const tail = detail ? ` (${detail})` : '';
  return new SourceError(code, `noble: ${NOBLE_ERROR_CODES[code]}${tail}`, { cause });
}

/**
 * Maps an error thrown while loading or initialising noble (require, bindRaw, socket write) to a
 * SourceError. The first rule that matches the error's code or message wins.
 */
export function mapNobleError(err: unknown): SourceError {
  if (err instanceof SourceError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as Errno;
  const code = typeof e.code === 'string' ? e.code : '';
  const text = `${code} ${describe(err)}`;
  const detail = describe(err);
  if (code === 'EAFNOSUPPORT' || /EAFNOSUPPORT|address family not supported/i.test(text))
    return nobleError('no-kernel-bluetooth', detail, err);
  if (
    code === 'EPERM' ||
    code === 'EACCES' ||
    /\b(EPERM|EACCES)\b|operation not permitted|permission denied/i.test(text)
  )
    return nobleError('no-permission', detail, err);
  if (code === 'ENODEV' || /ENODEV|no such device/i.test(text)) return nobleError('no-adapter', detail, err);
  if (code === 'EBUSY' || /EBUSY|resource busy/i.test(text)) return nobleError('adapter-busy', detail, err);
  if (code === 'ERFKILL' || /ERFKILL|rf-kill/i.test(text)) return nobleError('adapter-off', detail, err);
  if (
    /bluetooth[-_]hci[-_]socket|bluetooth_hci_socket\.node|ERR_DLOPEN_FAILED|NODE_MODULE_VERSION/i.test(text)
  )
    return nobleError('native-module', detail, err);
  if (code === 'MODULE_NOT_FOUND' && /@abandonware\/noble/.test(detail))
    return nobleError('noble-missing', detail, err);
  if (/unsupported platform/i.test(detail)) return nobleError('unsupported', detail, err);
  return nobleError('noble-failed', detail, err);
}

/** The SourceError for a noble adapter state that will not lead to scanning, or undefined. */
export function mapNobleState(state: string): SourceError | undefined {
  switch (state) {
    case 'poweredOff':
      return nobleError('adapter-off', 'state poweredOff');
    case 'unauthorized':
      return process.platform === 'darwin'
        ? nobleError('unauthorized', 'state unauthorized')
        : nobleError('no-permission', 'state unauthorized');
    case 'unsupported':
      return nobleError('unsupported', 'state unsupported');
    default:
      return undefined;
  }
}

/** The error for "no poweredOn within `ms`", naming the last state noble reported. */
export function nobleTimeout(ms: number, lastState: string): SourceError {
  return (
    mapNobleState(lastState) ?? nobleError('timeout', `no poweredOn within ${ms} ms, last state ${lastState}`)
  );
}
