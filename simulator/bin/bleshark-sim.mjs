#!/usr/bin/env node
// The `bleshark-sim` command. It lives outside dist/ so that `npm install` links it before the first build;
// it runs the built CLI, or says how to build it. Exit codes: see `EXIT` in src/cli.ts (and the README).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('bleshark-sim: not built yet; run `npm run build` at the repository root first\n');
  process.exit(2);
}
const { main, EXIT } = await import(cli.href);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bleshark-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
