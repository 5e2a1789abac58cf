// What a check is, what it gets to work with, and what it reports. (How a check fails or skips is
// outcome.ts, which the connection code uses too: re-exported here, so nothing imports in a circle.)
import type { HelloMessage } from '@bleshark/shared-protocol';
import type { Session } from './app-connection.js';
import type { HandshakeOptions } from './handshake-request.js';
import type { HandshakeResult, RawConnection } from './raw-ws.js';
import type { Target } from './target.js';

export type CheckContext = {
  target: Target;
  /** Per-step timeout in ms (--timeout). */
  timeoutMs: number;
  /** The hello of the probe connection made before the checks (undefined when it failed the schema). */
  baseline: HelloMessage | undefined;
  /** Aborted when the check times out or the run reaches its deadline; its sockets are destroyed then. */
  signal: AbortSignal;
  /** Waits `ms`, or less when the check is cancelled. */
  sleep(ms: number): Promise<void>;
  /** Opens a TCP connection and performs a (possibly wrong) handshake; any status is returned. */
  connect(opts?: HandshakeOptions): Promise<Connected>;
  /** Opens a bare TCP connection (tracked and closed after the check). */
  open(): Promise<RawConnection>;
  /** Opens a conformant session and reads `hello`; fails the check when that is not possible. */
  session(opts?: HandshakeOptions): Promise<Session>;
  /** Adds a note to the check's result (shown in --json). */
  note(text: string): void;
};

export type Connected = { conn: RawConnection; key: string | undefined; result: HandshakeResult };

export type Check = {
  /** Stable id, `area.name`. */
  id: string;
  title: string;
  /** The expected behaviour, e.g. `close 1002`. */
  expect: string;
  /** `RFC 6455 5.1` or `protocol: <section>`. */
  ref: string;
  /** A case the device must refuse: afterwards the runner reconnects and compares `hello.epoch`. */
  negative?: boolean;
  /** Changes state shared by every client (scan, table, client count): runs alone, after the rest. */
  exclusive?: boolean;
  /** Resolves to a short pass detail; throws CheckFailure or CheckSkip otherwise. */
  run(ctx: CheckContext): Promise<string | undefined>;
};

export type CheckStatus = 'pass' | 'fail' | 'skip';

export type CheckResult = {
  id: string;
  title: string;
  expect: string;
  ref: string;
  status: CheckStatus;
  detail: string;
  ms: number;
  /** For negative cases: the epoch before and after, read from a fresh connection's hello. */
  epoch?: { before: string | undefined; after: string | undefined; unchanged: boolean };
  notes?: string[];
  /** RFC 6455 mistakes the strict reader saw on this check's connections. */
  violations?: string[];
};

export { CheckFailure, CheckSkip, fail, skip } from './outcome.js';
