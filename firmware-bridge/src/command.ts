// The shape every subcommand of `bleshark-bridge` has, so the CLI is a table of them.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { WrittenFile } from './write-if-changed.js';

/** Where a command prints: injected so tests can read it. */
export type CommandIo = { readonly out: (line: string) => void; readonly err: (line: string) => void };

export type Command = {
  /** One line for `bleshark-bridge --help`. */
  readonly summary: string;
  /** The full `bleshark-bridge NAME --help` text. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  readonly run: (args: readonly string[], io: CommandIo) => Promise<number>;
};

/** Exit code for a usage mistake (unknown option, bad value). */
export const EXIT_USAGE = 2;

/** `parseArgs` that returns a message instead of throwing on a usage mistake. */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: O,
):
  | { ok: true; values: ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] }
  | { ok: false; message: string } {
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return { ok: true, values };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** Prints each created or changed output, then a count of the unchanged ones. */
export function printWritten(io: CommandIo, out: string, written: readonly WrittenFile[]): void {
  for (const f of written) if (f.outcome !== 'unchanged') io.out(`  ${f.outcome.padEnd(8)} ${f.path}`);
  const changed = written.filter((f) => f.outcome !== 'unchanged').length;
  io.out(`${changed} written, ${written.length - changed} unchanged in ${out}`);
}
