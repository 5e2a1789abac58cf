import { describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, ERROR_CODES } from './codes.js';
import {
  MAX_ID_LENGTH,
  NANO_LIMITS,
  NANO_MAX_FRAME_BYTES,
  NANO_MAX_INBOUND_BYTES,
  PROTOCOL,
} from './limits.js';

describe('codes and limits', () => {
  it('lists every described error code, in the same order', () => {
    expect(ERROR_CODE_LIST).toEqual(Object.keys(ERROR_CODES));
  });

  it('keeps the plain constants equal to the objects that document them', () => {
    expect(NANO_LIMITS.maxFrameBytes).toBe(NANO_MAX_FRAME_BYTES);
    expect(NANO_LIMITS.maxInboundBytes).toBe(NANO_MAX_INBOUND_BYTES);
    expect(PROTOCOL.maxIdLength).toBe(MAX_ID_LENGTH);
  });
});
