#!/usr/bin/env node
// The `bleshark-bridge` command. It lives outside dist/ so that `npm install` links it before the first
// build; it runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('bleshark-bridge: not built yet; run `npm run build` at the repository root first\n');
  process.exit(1);
}
const { runCli } = await import(cli.href);
const io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
try {
  process.exitCode = await runCli(process.argv.slice(2), io);
} catch (e) {
  // runCli answers every expected failure itself; anything else is still one line, not a stack trace.
  process.stderr.write(`bleshark-bridge: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
