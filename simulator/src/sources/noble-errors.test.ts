import { describe, expect, it } from 'vitest';
import {
  mapNobleError,
  mapNobleState,
  NOBLE_ERROR_CODES,
  nobleTimeout,
  SETCAP_LINE,
} from './noble-errors.js';
import { SourceError } from './scan-source.js';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('mapNobleError', () => {
  const cases: [what: string, err: unknown, code: string, message: RegExp][] = [
    [
      'no kernel Bluetooth',
      errno('EAFNOSUPPORT', 'EAFNOSUPPORT, Address family not supported by protocol'),
      'no-kernel-bluetooth',
      /no Bluetooth socket support.*--source demo/,
    ],
    [
      'no permission (EPERM)',
      errno('EPERM', 'Operation not permitted'),
      'no-permission',
      /setcap cap_net_raw\+eip/,
    ],
    ['no permission (EACCES)', errno('EACCES', 'Permission denied'), 'no-permission', /setcap/],
    ['no adapter', errno('ENODEV', 'No such device'), 'no-adapter', /no Bluetooth adapter found/],
    ['adapter busy', errno('EBUSY', 'Device or resource busy'), 'adapter-busy', /in use/],
    ['rfkill', new Error('ERFKILL, Operation not possible due to RF-kill'), 'adapter-off', /rfkill unblock/],
    [
      'native module not built',
      errno('MODULE_NOT_FOUND', "Cannot find module '../build/Release/bluetooth_hci_socket.node'"),
      'native-module',
      /bluetooth-hci-socket failed to build/,
    ],
    [
      'native module for another Node',
      errno('ERR_DLOPEN_FAILED', 'was compiled against NODE_MODULE_VERSION 108'),
      'native-module',
      /failed to build/,
    ],
    [
      'noble not installed',
      errno('MODULE_NOT_FOUND', "Cannot find module '@abandonware/noble'"),
      'noble-missing',
      /npm install/,
    ],
    ['anything else', 'weird', 'noble-failed', /noble failed \(weird\)/],
  ];
  for (const [what, err, code, message] of cases) {
    it(`maps ${what} to ${code}`, () => {
      const mapped = mapNobleError(err);
      expect(mapped).toBeInstanceOf(SourceError);
      expect(mapped.code).toBe(code);
      expect(mapped.message).toMatch(message);
      expect(mapped.message.startsWith('noble: ')).toBe(true);
      if (err instanceof Error) expect(mapped.cause).toBe(err);
    });
  }

  it('passes SourceErrors through and gives the exact setcap line', () => {
    const e = new SourceError('x', 'y');
    expect(mapNobleError(e)).toBe(e);
    expect(SETCAP_LINE).toBe('sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))');
    expect(Object.keys(NOBLE_ERROR_CODES)).toContain('timeout');
  });
});

describe('mapNobleState', () => {
  it('maps the states that never lead to scanning', () => {
    expect(mapNobleState('poweredOff')?.code).toBe('adapter-off');
    expect(mapNobleState('unsupported')?.code).toBe('unsupported');
    expect(mapNobleState('unauthorized')?.code).toBe(
      process.platform === 'darwin' ? 'unauthorized' : 'no-permission',
    );
    expect(mapNobleState('poweredOn')).toBeUndefined();
    expect(mapNobleState('unknown')).toBeUndefined();
  });

  it('names the last state when poweredOn never came', () => {
    expect(nobleTimeout(2500, 'unknown').message).toBe(
      'noble: the adapter did not report poweredOn in time (no poweredOn within 2500 ms, last state unknown)',
    );
    expect(nobleTimeout(2500, 'poweredOff').code).toBe('adapter-off');
  });
});
