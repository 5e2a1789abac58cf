// `bleshark-bridge pack [--input DIR] [--out DIR] [--budget BYTES]`
import { resolve } from 'node:path';
import { type Command, EXIT_USAGE, parseCommandArgs, printWritten } from '../command.js';
import { DEFAULT_INPUT_DIR, DEFAULT_OUT_DIR } from '../repo-paths.js';
import { PAGE_BUDGET_BYTES } from './flash-recipe.js';
import { pack } from './pack.js';

const help = `Usage: bleshark-bridge pack [options]

Gzips the built page (and any other file beside it) into C sources, a LittleFS folder and a manifest.
Same input, same bytes; files whose content did not change are not rewritten.

Options:
  --input DIR      the built page folder (default: device-ui/dist of this repository)
  --out DIR        where to write (default: firmware-bridge/out of this repository)
  --budget BYTES   most gzip bytes the page may take; over it, exit 1 and write nothing (default: ${PAGE_BUDGET_BYTES})
  -h, --help       this text

Writes: bleshark_web_ui.h, bleshark_web_ui.c, manifest.json, data/<file>.gz`;

export const packCommand: Command = {
  summary: 'gzip the built page into bleshark_web_ui.h/.c, data/ and manifest.json',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      input: { type: 'string' },
      out: { type: 'string' },
      budget: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (!parsed.ok) {
      io.err(`pack: ${parsed.message}\n\n${help}`);
      return EXIT_USAGE;
    }
    const v = parsed.values;
    if (v.help) {
      io.out(help);
      return 0;
    }
    const budget = v.budget === undefined ? PAGE_BUDGET_BYTES : Number(v.budget);
    if (!Number.isSafeInteger(budget) || budget <= 0) {
      io.err(`pack: --budget must be a positive whole number of bytes, got ${JSON.stringify(v.budget)}`);
      return EXIT_USAGE;
    }
    const out = v.out === undefined ? DEFAULT_OUT_DIR : resolve(v.out);
    const report = await pack({
      input: v.input === undefined ? DEFAULT_INPUT_DIR : resolve(v.input),
      out,
      budget,
    });
    if (report.size) io.out(report.size);
    if (!report.ok) {
      io.err(`pack: ${report.problem}`);
      return 1;
    }
    printWritten(io, out, report.written);
    for (const r of report.removed) io.out(`  removed  ${r}`);
    return 0;
  },
};
