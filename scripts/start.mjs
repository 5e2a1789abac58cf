// `npm start`: build what is missing or stale, then run the simulator with --source auto.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npm', ['run', 'build']);
const cli = new URL('../simulator/dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.log('The simulator is not built yet (simulator/dist/cli.js is missing).');
  process.exit(1);
}
run(process.execPath, [cli.pathname, '--source', 'auto', ...process.argv.slice(2)]);
