// The protocol version and the hash of every schema and code it was defined with. A test recomputes the
// hash: changing a schema without bumping PROTOCOL_VERSION and updating SCHEMA_HASH fails it.
import { CLOSE_CODES, ERROR_CODES } from './codes.js';
import { fnv1a32 } from './hash.js';
import { DOWN_SCHEMAS } from './messages/down.js';
import { UP_SCHEMAS } from './messages/up.js';
import { describe } from './schema.js';

export const PROTOCOL_VERSION = 1;
export const SCHEMA_HASH = '6a8ab576';

/** The hash of the schemas as they are now (the pinned SCHEMA_HASH must equal it). */
export const computeSchemaHash = (): string =>
  fnv1a32(
    describe({
      up: UP_SCHEMAS,
      down: DOWN_SCHEMAS,
      errors: Object.keys(ERROR_CODES),
      closes: Object.keys(CLOSE_CODES),
    }),
  );
