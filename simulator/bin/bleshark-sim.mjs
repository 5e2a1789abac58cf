#!/usr/bin/env node
// The `bleshark-sim` command. It lives outside dist/ so that `npm install` links it before the first build;
// it runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('bleshark-sim: not built yet; run `npm run build` at the repository root first\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exit(await main(process.argv.slice(2)));
