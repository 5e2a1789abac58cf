// The commands of one client: text frames only, decoded and validated (parseUp), rate limited (a token
// bucket; a flood past the strikes closes with 1008), checked against the abilities this device announced
// in `hello.caps` (a command needing one it lacks is answered `unsupported`, naming it: missingCap), then
// dispatched through an UpHandlers map with one handler per command type, so a command added to the
// protocol does not compile until this device handles it.
import {
  CAPS,
  CLOSE_POLICY,
  CLOSE_UNSUPPORTED_DATA,
  dispatch,
  type ErrorCode,
  encode,
  type Limits,
  missingCap,
  PROTOCOL,
  parseUp,
  type UpHandlers,
  type UpMessage,
} from '@bleshark/shared-protocol';
import type { LogFn } from '../log.js';
import { TokenBucket } from './token-bucket.js';

export type CommandIntakeOptions = {
  /** The client number (for log lines). */
  client: number;
  limits: Pick<Limits, 'maxInboundBytes' | 'commandsPerSecond' | 'commandBurst'>;
  /** What this device announced in `hello.caps`; commands that need another ability get `unsupported`. */
  caps: readonly string[];
  /** One handler per command type (a missing one is a type error). */
  handlers: UpHandlers;
  /** Writes one frame (dropped once the connection is closing). */
  send: (text: string) => void;
  /** Closes the connection with a close code. */
  close: (code: number, reason: string) => void;
  log: LogFn;
  /** Milliseconds, monotonic (the rate limit's clock). Default performance.now. */
  now?: () => number;
};

export class CommandIntake {
  #o: CommandIntakeOptions;
  #bucket: TokenBucket;
  #strikes = 0;

  constructor(options: CommandIntakeOptions) {
    this.#o = options;
    const { commandsPerSecond, commandBurst } = options.limits;
    this.#bucket = new TokenBucket(commandsPerSecond, commandBurst, options.now);
  }

  /** One WebSocket message as `ws` delivers it. */
  receive(data: unknown, isBinary: boolean): void {
    if (isBinary) {
      this.#o.log('info', `client ${this.#o.client}: binary frame, closing with 1003`);
      this.#o.close(CLOSE_UNSUPPORTED_DATA, 'binary frames are not accepted');
      return;
    }
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : String(data);
    const parsed = parseUp(text, this.#o.limits.maxInboundBytes);
    const id = parsed.ok ? parsed.msg.id : parsed.id;
    if (!this.#bucket.take()) {
      this.#strikes++;
      if (this.#strikes > PROTOCOL.rateStrikes) {
        this.#o.log('info', `client ${this.#o.client}: command flood, closing with 1008`);
        this.#o.close(CLOSE_POLICY, 'command flood');
        return;
      }
      this.error(
        'rate-limited',
        `over ${this.#o.limits.commandsPerSecond} commands/s; the command was dropped`,
        id,
      );
      return;
    }
    this.#strikes = 0;
    if (!parsed.ok) {
      this.error(parsed.code, parsed.message, id);
      return;
    }
    this.#dispatch(parsed.msg);
  }

  /** Answers a command that carried an id with `ack`. */
  ack(msg: UpMessage): void {
    if (msg.id !== undefined) this.#o.send(encode({ type: 'ack', id: msg.id, command: msg.type }));
  }

  /** Answers with `error` (carrying the command's id when it had one). */
  error(code: ErrorCode, message: string, id: string | undefined): void {
    const msg = { type: 'error' as const, code, message: message.slice(0, 256) || code };
    this.#o.send(encode(id === undefined ? msg : { ...msg, id }));
  }

  #dispatch(msg: UpMessage): void {
    const cap = missingCap(msg, this.#o.caps);
    if (cap) {
      this.error('unsupported', `this device cannot do ${CAPS[cap]} (no "${cap}" in hello.caps)`, msg.id);
      return;
    }
    dispatch(this.#o.handlers, msg);
  }
}
