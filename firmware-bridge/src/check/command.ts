// `bleshark-bridge check URL`: the conformance checker's command line. It connects nowhere unless a
// URL is given, prints one line per check and `N passed, M failed`, and exits 0 only when nothing failed.
import { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, defaultCheckTimeoutMs } from './bounds.js';
import { ALL_CHECKS, selectChecks } from './checks/index.js';
import { printable } from './printable.js';
import { formatLine, jsonReport, summaryLine, totals } from './report.js';
import { runChecks } from './runner.js';
import { parseTarget } from './target.js';

export type CommandIo = { out: (line: string) => void; err: (line: string) => void };

/** Exit codes of `check` (also in the firmware-bridge README). */
export const CHECK_EXIT = {
  /** Every check that ran passed (skips do not count). */
  passed: 0,
  /** A check failed, the probe connection got no valid hello, or a server frame broke RFC 6455. */
  failed: 1,
  /** A usage mistake; nothing was connected to. */
  usage: 2,
  /** Nothing accepted a connection at the URL; nothing was checked. */
  unreachable: 3,
  /** The run reached --deadline; the checks that had not finished are reported as not run. */
  deadline: 4,
} as const;

export const CHECK_USAGE = [
  'usage: bleshark-bridge check URL [--json] [--origin O] [--token T] [--only P]... [--timeout MS] [--check-timeout MS] [--deadline MS]',
  '  URL                ws://device/scan/live (or wss://); the path defaults to /scan/live',
  '  --json             print a JSON report instead of lines',
  '  --origin O         send Origin O on every connection (default: none, like a non-browser tool)',
  '  --token T          pairing token, sent as ?token=T; also enables the token checks',
  '  --only P           run checks whose id starts with P or matches the glob P (repeatable)',
  `  --timeout MS       timeout per step in milliseconds, 50..60000 (default ${DEFAULT_TIMEOUT_MS})`,
  '  --check-timeout MS cancel and fail a check still running after MS, 100..600000',
  `                     (default 8 x --timeout + 10000, ${defaultCheckTimeoutMs(DEFAULT_TIMEOUT_MS)})`,
  `  --deadline MS      stop the whole run after MS, 100..3600000 (default ${DEFAULT_DEADLINE_MS})`,
  'exit: 0 passed, 1 a check failed, 2 usage mistake, 3 nothing at URL, 4 --deadline reached',
].join('\n');

type Parsed = {
  url: string;
  json: boolean;
  origin?: string;
  token?: string;
  only: string[];
  timeoutMs: number;
  checkTimeoutMs?: number;
  deadlineMs: number;
};

/** Integer option ranges: [min, max]. */
const RANGES = {
  '--timeout': [50, 60_000],
  '--check-timeout': [100, 600_000],
  '--deadline': [100, 3_600_000],
} as const;

function parseArgs(argv: string[]): Parsed | string {
  const p: Parsed = {
    url: '',
    json: false,
    only: [],
    timeoutMs: DEFAULT_TIMEOUT_MS,
    deadlineMs: DEFAULT_DEADLINE_MS,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--json':
        p.json = true;
        break;
      case '--origin':
      case '--token':
      case '--only':
      case '--timeout':
      case '--check-timeout':
      case '--deadline': {
        const v = value();
        if (v === undefined || v === '') return `${flag} needs a value`;
        if (flag === '--origin') p.origin = v;
        else if (flag === '--token') p.token = v;
        else if (flag === '--only') p.only.push(v);
        else {
          const [min, max] = RANGES[flag];
          const n = Number(v);
          if (!Number.isInteger(n) || n < min || n > max)
            return `${flag} must be an integer ${min}..${max}, got ${v}`;
          if (flag === '--timeout') p.timeoutMs = n;
          else if (flag === '--check-timeout') p.checkTimeoutMs = n;
          else p.deadlineMs = n;
        }
        break;
      }
      case '-h':
      case '--help':
        return '';
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (p.url) return `unexpected argument ${a}`;
        p.url = a;
    }
  }
  return p.url ? p : 'missing URL';
}

export async function checkCommand(argv: string[], io: CommandIo): Promise<number> {
  const p = parseArgs(argv);
  if (typeof p === 'string') {
    if (p) io.err(`check: ${printable(p)}`);
    io.err(CHECK_USAGE);
    return p ? CHECK_EXIT.usage : CHECK_EXIT.passed;
  }
  const target = parseTarget(p.url, {
    ...(p.origin ? { origin: p.origin } : {}),
    ...(p.token ? { token: p.token } : {}),
  });
  if (typeof target === 'string') {
    io.err(`check: ${printable(target)}`);
    return CHECK_EXIT.usage;
  }
  const checks = selectChecks(p.only);
  if (checks.length === 0) {
    io.err(`check: no check matches ${printable(p.only.join(', '))} (${ALL_CHECKS.length} checks exist)`);
    return CHECK_EXIT.usage;
  }
  const run = await runChecks(checks, {
    target,
    timeoutMs: p.timeoutMs,
    deadlineMs: p.deadlineMs,
    ...(p.checkTimeoutMs === undefined ? {} : { checkTimeoutMs: p.checkTimeoutMs }),
    ...(p.json ? {} : { onResult: (r) => io.out(formatLine(r)) }),
  });
  if (p.json) io.out(jsonReport(p.url, run));
  if (run.stopped === 'unreachable') {
    io.err(`check: ${run.probeError}; nothing was checked (is the device on, and is the URL right?)`);
    return CHECK_EXIT.unreachable;
  }
  const t = totals(run.results);
  if (!p.json) io.out(summaryLine(t));
  if (run.stopped === 'deadline') {
    io.err(
      `check: stopped at the --deadline of ${p.deadlineMs} ms; ${run.notRun} checks did not run (raise --deadline or select fewer with --only)`,
    );
    return CHECK_EXIT.deadline;
  }
  return t.failed === 0 ? CHECK_EXIT.passed : CHECK_EXIT.failed;
}
