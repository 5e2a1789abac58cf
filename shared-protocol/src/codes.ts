// Stable codes: the application error codes carried in `error` messages and the WebSocket close codes the
// device uses. Each says what the receiver must do. docs/protocol.md has the same tables.

/** Application error codes (`error.code`), in the order of ERROR_CODES (a page needs only the list). */
export const ERROR_CODE_LIST = [
  'invalid-json',
  'unknown-type',
  'invalid-field',
  'too-large',
  'rate-limited',
  'scan-failed',
  'unsupported',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODE_LIST)[number];

/**
 * What each application error code means. The connection stays open after every one of them.
 * `unknown-type` and `unsupported` split on the schema: a `type` that is missing or not a key of
 * UP_SCHEMAS is `unknown-type` (the parser answers it); a schema-valid command that needs an ability the
 * device did not list in `hello.caps` (see CAPS and `missingCap`) is `unsupported`.
 */
export const ERROR_CODES: { readonly [C in ErrorCode]: string } = {
  'invalid-json': 'Not a JSON object. Fix the sender; nothing changed on the device.',
  'unknown-type': 'Missing or unknown `type`. Check the protocol version in `hello`; nothing changed.',
  'invalid-field': 'A field has the wrong type or is out of range; `message` names it. Nothing changed.',
  'too-large':
    'Message larger than `limits.maxInboundBytes` (the device closes with 1009 instead when it sees it first).',
  'rate-limited':
    'Over `limits.commandsPerSecond`; the command was dropped. Slow down; continuing closes with 1008.',
  'scan-failed':
    'The radio could not start or stopped with an error; `message` says why. Retry or check the device.',
  unsupported: 'Valid, but this device cannot do it (see `hello.caps`). Nothing changed.',
  internal: 'The device failed unexpectedly. Retry; report it if it persists.',
};

/** WebSocket close codes used by the device, and what the page does on each. */
export const CLOSE_CODES = {
  1000: 'Normal closure. The page does not reconnect unless the user asks.',
  1001: 'Going away: the device or simulator is shutting down. Reconnect soon.',
  1002: 'Protocol error (RFC 6455 framing). Reconnect with backoff; report a bug.',
  1003: 'Binary frame received; the protocol is text only. Fix the sender.',
  1007: 'Invalid UTF-8 in a text frame. Fix the sender.',
  1008: 'Policy: command flood after a rate-limit warning (a refused token is an HTTP 403 before the upgrade). Stop and explain; do not retry blindly.',
  1009: 'Message over `limits.maxInboundBytes`. Fix the sender.',
  1011: 'Internal error on the device. Reconnect with backoff.',
  1013: 'Try again later: too many clients, or this client stopped reading. Reconnect after a long backoff.',
} as const;

export type CloseCode = keyof typeof CLOSE_CODES;

export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_INTERNAL = 1011;
export const CLOSE_TRY_LATER = 1013;
