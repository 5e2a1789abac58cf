// `bleshark-bridge check URL`: the conformance checker's command line. It connects nowhere unless a
// URL is given, prints one line per check and `N passed, M failed`, and exits 0 only when nothing failed.
import { ALL_CHECKS, selectChecks } from './checks/index.js';
import { formatLine, jsonReport, summaryLine, totals } from './report.js';
import { runChecks } from './runner.js';
import { parseTarget } from './target.js';

export type CommandIo = { out: (line: string) => void; err: (line: string) => void };

export const CHECK_USAGE = [
  'usage: bleshark-bridge check URL [--json] [--origin ORIGIN] [--token T] [--only PATTERN]... [--timeout MS]',
  '  URL            ws://device/scan/live (or wss://); the path defaults to /scan/live',
  '  --json         print a JSON report instead of lines',
  '  --origin O     send Origin O on every connection (default: none, like a non-browser tool)',
  '  --token T      pairing token, sent as ?token=T; also enables the token checks',
  '  --only P       run checks whose id starts with P or matches the glob P (repeatable)',
  '  --timeout MS   timeout per step in milliseconds (default 2000)',
].join('\n');

type Parsed = {
  url: string;
  json: boolean;
  origin?: string;
  token?: string;
  only: string[];
  timeoutMs: number;
};

function parseArgs(argv: string[]): Parsed | string {
  const p: Parsed = { url: '', json: false, only: [], timeoutMs: 2000 };
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
      case '--timeout': {
        const v = value();
        if (v === undefined || v === '') return `${flag} needs a value`;
        if (flag === '--origin') p.origin = v;
        else if (flag === '--token') p.token = v;
        else if (flag === '--only') p.only.push(v);
        else {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 50 || n > 60000)
            return `--timeout must be an integer 50..60000, got ${v}`;
          p.timeoutMs = n;
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
    if (p) io.err(`check: ${p}`);
    io.err(CHECK_USAGE);
    return p ? 2 : 0;
  }
  const target = parseTarget(p.url, {
    ...(p.origin ? { origin: p.origin } : {}),
    ...(p.token ? { token: p.token } : {}),
  });
  if (typeof target === 'string') {
    io.err(`check: ${target}`);
    return 2;
  }
  const checks = selectChecks(p.only);
  if (checks.length === 0) {
    io.err(`check: no check matches ${p.only.join(', ')} (${ALL_CHECKS.length} checks exist)`);
    return 2;
  }
  const run = await runChecks(checks, {
    target,
    timeoutMs: p.timeoutMs,
    ...(p.json ? {} : { onResult: (r) => io.out(formatLine(r)) }),
  });
  const t = totals(run.results);
  if (p.json) io.out(jsonReport(p.url, run));
  else {
    if (run.probeError) io.err(`note: the first connection failed: ${run.probeError}`);
    io.out(summaryLine(t));
  }
  return t.failed === 0 ? 0 : 1;
}
