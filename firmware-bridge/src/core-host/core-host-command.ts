// `bleshark-bridge core-host [--out DIR] [--sanitize]`: builds the C core's stdio harness for
// `npm start -- --core PATH`.
import { resolve } from 'node:path';
import { type Command, EXIT_USAGE, parseCommandArgs } from '../command.js';
import { DEFAULT_OUT_DIR } from '../repo-paths.js';
import { buildCoreHost, CORE_HOST_NAME, CoreHostBuildError } from './build-core-host.js';

const help = `Usage: bleshark-bridge core-host [options]

Builds ${CORE_HOST_NAME}: the C core (firmware-bridge/core) behind a small binary protocol on
stdin/stdout, so the simulator can run it in place of its TypeScript engine and sessions:
  npm start -- --core firmware-bridge/out/${CORE_HOST_NAME}
Compiled with gcc (C11, -Wall -Wextra -Werror -Wconversion -Wpedantic) against a freshly generated
bleshark_protocol.h.

Options:
  --out DIR    where to write the program (default: firmware-bridge/out of this repository)
  --sanitize   build with AddressSanitizer + UndefinedBehaviorSanitizer, every report fatal (default: off, -O2)
  -h, --help   this text

Exit codes: 0 built; 1 gcc missing or failed; 2 bad option.`;

export const coreHostCommand: Command = {
  summary: `build ${CORE_HOST_NAME}, the C core behind stdio (for the simulator's --core)`,
  help,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      out: { type: 'string' },
      sanitize: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (!parsed.ok) {
      io.err(`core-host: ${parsed.message}\n\n${help}`);
      return EXIT_USAGE;
    }
    if (parsed.values.help) {
      io.out(help);
      return 0;
    }
    if (parsed.values.out === '') {
      io.err(`core-host: --out must not be empty\n\n${help}`);
      return EXIT_USAGE;
    }
    const out = parsed.values.out === undefined ? DEFAULT_OUT_DIR : resolve(parsed.values.out);
    try {
      const built = await buildCoreHost({ out, sanitize: parsed.values.sanitize === true });
      io.out(`  built    ${built.path}${built.sanitize ? ' (ASan + UBSan)' : ''}`);
      return 0;
    } catch (e) {
      if (!(e instanceof CoreHostBuildError)) throw e;
      io.err(`core-host: ${e.message}`);
      return 1;
    }
  },
};
