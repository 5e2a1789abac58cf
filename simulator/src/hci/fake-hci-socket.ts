// A stand-in for @abandonware/bluetooth-hci-socket's BluetoothHciSocket that behaves like a controller
// replaying a capture: it answers every command noble writes (Command Complete / Command Status, a
// generic success for commands it does not know, which it logs) and, while scanning is enabled, emits
// the capture's advertising-report events at their recorded pace times `speed`.
import { EventEmitter } from 'node:events';
import type { LogFn } from '../log.js';
import { type LongTimeout, setLongTimeout } from '../sources/long-timeout.js';
import type { CaptureEvent } from './capture.js';
import {
  type ControllerInfo,
  commandComplete,
  commandStatus,
  completeParams,
  OP,
  OP_NAMES,
  opHex,
  STATUS_COMMANDS,
  STATUS_DISALLOWED,
} from './hci-commands.js';

/** Pause between the end of the capture and its start again when looping (ms at speed 1). */
export const LOOP_GAP_MS = 100;
/** Events emitted per macrotask at speed 0, so a fast replay never starves the event loop. */
const BURST = 64;

export type FakeHciConfig = {
  /** Advertising-report events to play (H4 form). */
  events: readonly CaptureEvent[];
  /** Playback speed factor (default 1; 0 = as fast as possible). */
  speed?: number;
  /** Start again at the end instead of ending (default false). */
  loop?: boolean;
  /** Controller details (defaults: HCI 5.0, 00:00:5e:00:53:01, extended commands announced). */
  controller?: Partial<ControllerInfo>;
  log?: LogFn;
  /** Called once each time the capture is exhausted (not looping). */
  onEnd?: () => void;
};

/** What noble's Linux bindings call on a BluetoothHciSocket, and nothing else. */
export class FakeHciSocket extends EventEmitter {
  /** Every command opcode written, in order (for tests and diagnostics). */
  readonly commands: number[] = [];
  /** Opcodes answered with the generic success because this controller does not know them. */
  readonly unknown = new Set<number>();
  /** Filter noble set with setFilter (kept, not applied: everything sent passes noble's filter). */
  filter: Buffer | undefined;
  private readonly config: FakeHciConfig;
  private readonly info: ControllerInfo;
  private running = false;
  private scanning = false;
  private index = 0;
  private base = { wall: 0, ts: 0 };
  private timer: LongTimeout | NodeJS.Immediate | undefined;

  constructor(config: FakeHciConfig) {
    super();
    this.config = config;
    this.info = { hciVersion: 9, address: '00:00:5e:00:53:01', extended: true, ...config.controller };
  }

  /** Index of the next capture event to play. */
  get position(): number {
    return this.index;
  }

  /** True while scanning is enabled (between LE Set [Extended] Scan Enable 1 and 0). */
  get isScanning(): boolean {
    return this.scanning;
  }

  bindRaw(devId?: number): number {
    return devId ?? 0;
  }

  bindUser(devId?: number): number {
    return devId ?? 0;
  }

  bindControl(): number {
    return 0;
  }

  isDevUp(): boolean {
    return true;
  }

  getDeviceList(): {
    devId: number;
    devUp: boolean;
    idVendor: null;
    idProduct: null;
    busNumber: null;
    deviceAddress: null;
  }[] {
    return [{ devId: 0, devUp: true, idVendor: null, idProduct: null, busNumber: null, deviceAddress: null }];
  }

  setFilter(filter: Buffer): void {
    this.filter = Buffer.from(filter);
  }

  start(): void {
    this.running = true;
  }

  /** Stops the socket: no more replies, playback paused. */
  stop(): void {
    this.running = false;
    this.scanning = false;
    this.pause();
  }

  cleanup(): void {}

  reset(): void {}

  write(data: Buffer): void {
    if (data[0] !== 0x01 || data.length < 4) {
      this.config.log?.(
        'debug',
        `fake HCI: ignored a written ${data[0] === 0x02 ? 'ACL' : 'non-command'} packet`,
      );
      return;
    }
    const op = data.readUInt16LE(1);
    const params = data.subarray(4, 4 + data[3]!);
    this.commands.push(op);
    if (STATUS_COMMANDS.has(op)) {
      this.reply(commandStatus(op, STATUS_DISALLOWED));
      return;
    }
    if (!(op in OP_NAMES) && !this.unknown.has(op)) {
      this.unknown.add(op);
      this.config.log?.('warn', `fake HCI: unknown command ${opHex(op)}, answered with a generic success`);
    }
    this.reply(commandComplete(op, 0, completeParams(op, this.info)));
    if (op === OP.LE_SET_SCAN_ENABLE || op === OP.LE_SET_EXTENDED_SCAN_ENABLE) {
      this.setScan(params[0] === 1);
    }
  }

  private reply(event: Uint8Array): void {
    setImmediate(() => {
      if (this.running) this.emit('data', Buffer.from(event));
    });
  }

  /**
   * Scan enable takes effect after its Command Complete, as on a controller. Its filter-duplicates flag is
   * not applied (every report is sent): repeats are dropped in one place, the scan engine.
   */
  private setScan(enable: boolean): void {
    setImmediate(() => {
      if (!this.running) return;
      if (!enable) {
        this.scanning = false;
        this.pause();
        return;
      }
      if (this.scanning) return;
      this.scanning = true;
      if (this.index >= this.config.events.length) this.index = 0;
      this.base = { wall: performance.now(), ts: this.config.events[this.index]?.ts ?? 0 };
      this.play();
    });
  }

  private pause(): void {
    if (this.timer) {
      if ('clear' in this.timer) this.timer.clear();
      else clearImmediate(this.timer);
    }
    this.timer = undefined;
  }

  private play(): void {
    this.timer = undefined;
    const { events, loop } = this.config;
    const speed = this.config.speed ?? 1;
    for (let burst = 0; this.scanning && this.running; ) {
      if (this.index >= events.length) {
        if (!loop || events.length === 0) {
          this.scanning = false;
          this.config.onEnd?.();
          return;
        }
        this.index = 0;
        this.base = { wall: performance.now() + (speed > 0 ? LOOP_GAP_MS / speed : 0), ts: events[0]!.ts };
      }
      const event = events[this.index]!;
      if (speed > 0) {
        const wait = this.base.wall + (event.ts - this.base.ts) / speed - performance.now();
        if (wait > 1) {
          this.timer = setLongTimeout(() => this.play(), wait);
          return;
        }
      } else if (burst++ >= BURST) {
        this.timer = setImmediate(() => this.play());
        return;
      }
      this.index++;
      this.emit('data', Buffer.from(event.bytes));
    }
  }
}
