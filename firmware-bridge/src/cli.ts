#!/usr/bin/env node
// bleshark-bridge: what the firmware build consumes. One table of subcommands; each owns its options.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECK_USAGE, checkCommand } from './check/command.js';
import type { Command, CommandIo } from './command.js';
import { coreHostCommand } from './core-host/core-host-command.js';
import { protocolHeaderCommand } from './header/protocol-header-command.js';
import { packCommand } from './pack/pack-command.js';

/** `check URL`: the conformance checker; it connects nowhere without a URL (usage errors exit 2). */
const checkEntry: Command = {
  summary: 'check that a device at URL speaks RFC 6455 and the /scan/live protocol',
  help: CHECK_USAGE,
  async run(args, io) {
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
      io.out(CHECK_USAGE);
      return 0;
    }
    return checkCommand([...args], io);
  },
};

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  pack: packCommand,
  'protocol-header': protocolHeaderCommand,
  check: checkEntry,
  'core-host': coreHostCommand,
};

export const usage = (): string =>
  [
    'Usage: bleshark-bridge <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`),
    '',
    'Run `bleshark-bridge <command> --help` for its options.',
  ].join('\n');

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // A file that cannot be read or written (a missing folder, no permission, a full disk) is the user's
    // to fix: one line naming the command and the path, exit 1. Anything else is a bug and goes up.
    if (typeof (e as NodeJS.ErrnoException)?.code !== 'string') throw e;
    io.err(`${name}: ${(e as Error).message}`);
    return 1;
  }
}

const isMain = (() => {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (isMain) {
  const io: CommandIo = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // A bug, not a usage mistake: one line, no stack trace.
      process.stderr.write(
        `bleshark-bridge: internal error: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
