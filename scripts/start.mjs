// `npm start`: build what is missing or stale, then run the simulator with --source auto (arguments after
// `npm start --` are passed on). SIGINT, SIGTERM and SIGHUP are forwarded to whichever child runs (the build,
// then the simulator); it exits with that child's code, or 128 + the signal number if the child was killed
// by a signal, so neither Ctrl-C nor a SIGTERM to npm leaves the simulator running as an orphan.
// BLESHARK_SKIP_BUILD=1 skips the build (the tests use it; the simulator must have been built already).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const bySignal = (signal) => 128 + (constants.signals[signal] ?? 0);

/** The child running now, and the first signal this process received. */
let current;
let received;

/** Passes `signal` to the running child (then exits with its code), or exits at once between children. */
function stop(signal) {
  received ??= signal;
  // Ctrl-C reaches the child from the terminal too; the simulator ignores a repeated signal while closing.
  if (current) {
    if (current.exitCode === null && current.signalCode === null) current.kill(signal);
  } else process.exit(bySignal(signal));
}
for (const s of FORWARDED) process.on(s, stop);

// npm runs this script under `sh -c` and forwards a SIGTERM it receives to that shell only: the shell dies
// and this process, left without its parent, would never hear of it. So losing the parent counts as SIGTERM.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent && !received) stop('SIGTERM');
}, 250).unref();

/** Runs `cmd` on this terminal; resolves with its exit code (128 + the signal number if a signal killed it). */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', shell: false });
    current = child;
    const done = (code) => {
      current = undefined;
      resolve(code);
    };
    child.once('error', (err) => {
      process.stderr.write(`npm start: cannot run ${cmd}: ${err.message}\n`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? bySignal(signal)));
  });
}

if (process.env.BLESHARK_SKIP_BUILD !== '1') {
  // Under `npm start` npm says where its own CLI is; run it with this Node (no shell, works on Windows too).
  const npm = process.env.npm_execpath;
  const built =
    npm && /\.[cm]?js$/.test(npm)
      ? await run(process.execPath, [npm, 'run', 'build'])
      : await run('npm', ['run', 'build']);
  if (built !== 0) process.exit(built);
  if (received) process.exit(bySignal(received));
}
const cli = fileURLToPath(new URL('../simulator/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'npm start: the simulator is not built (simulator/dist/cli.js is missing): run `npm run build`\n',
  );
  process.exit(2);
}
process.exit(await run(process.execPath, [cli, '--source', 'auto', ...process.argv.slice(2)]));
