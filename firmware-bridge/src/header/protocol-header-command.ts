// `bleshark-bridge protocol-header [--out DIR]`
import { resolve } from 'node:path';
import { type Command, EXIT_USAGE, parseCommandArgs, printWritten } from '../command.js';
import { DEFAULT_OUT_DIR } from '../repo-paths.js';
import { PROTOCOL_HEADER_FILE } from './emit-protocol-header.js';
import { writeProtocolHeader } from './protocol-header.js';

const help = `Usage: bleshark-bridge protocol-header [options]

Writes ${PROTOCOL_HEADER_FILE} from @bleshark/shared-protocol: protocol version and schema hash, endpoint
path, message types, field names, limits, close and error codes, filter bounds, as C/C++ macros.
Rewritten only when its content changes.

Options:
  --out DIR    where to write (default: firmware-bridge/out of this repository)
  -h, --help   this text`;

export const protocolHeaderCommand: Command = {
  summary: `write ${PROTOCOL_HEADER_FILE} (version, schema hash, types, fields, limits, codes)`,
  help,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (!parsed.ok) {
      io.err(`protocol-header: ${parsed.message}\n\n${help}`);
      return EXIT_USAGE;
    }
    if (parsed.values.help) {
      io.out(help);
      return 0;
    }
    const out = parsed.values.out === undefined ? DEFAULT_OUT_DIR : resolve(parsed.values.out);
    printWritten(io, out, [await writeProtocolHeader(out)]);
    return 0;
  },
};
