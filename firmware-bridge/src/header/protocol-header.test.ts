import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_HASH } from '@bleshark/shared-protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeProtocolHeader } from './protocol-header.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bleshark-header-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeProtocolHeader', () => {
  it('writes the header with the current schema hash, then leaves it alone', async () => {
    expect(await writeProtocolHeader(dir)).toEqual({ path: 'bleshark_protocol.h', outcome: 'created' });
    expect(await readFile(join(dir, 'bleshark_protocol.h'), 'utf8')).toContain(
      `#define BLESHARK_SCHEMA_HASH "${SCHEMA_HASH}"`,
    );
    expect((await writeProtocolHeader(dir)).outcome).toBe('unchanged');
  });
});
