// The parts of a noble instance this project uses: the shape both the real noble (noble-source) and the
// replay stand-in (hci/install-fake-hci.ts) hand to the driver. A type only; nothing here loads noble.
import type { EventEmitter } from 'node:events';

/** The parts of a noble instance this project uses. */
export type NobleInstance = EventEmitter & {
  state: string;
  startScanning(
    serviceUuids: string[],
    allowDuplicates: boolean,
    callback?: (error?: Error | null) => void,
  ): void;
  stopScanning(callback?: () => void): void;
  _bindings?: { _hci?: EventEmitter & { pollIsDevUp?: () => void } };
};
