// Where the bridge finds the page and puts its output when no path is given: both are found from this
// package's own location (src/ when run from source, dist/ after the build), never from the working directory.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: two levels above this file (firmware-bridge/src or firmware-bridge/dist). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Default `pack --input`: the page as Vite builds it. */
export const DEFAULT_INPUT_DIR = resolve(REPO_ROOT, 'device-ui', 'dist');

/** Default `--out` of every subcommand (git-ignored). */
export const DEFAULT_OUT_DIR = resolve(REPO_ROOT, 'firmware-bridge', 'out');
