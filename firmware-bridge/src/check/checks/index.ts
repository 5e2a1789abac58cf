// Every check, in report order. Exclusive checks (shared device state) come last.
import type { Check } from '../types.js';
import { appCommandChecks } from './app-commands.js';
import { appErrorChecks } from './app-errors.js';
import { appLimitChecks } from './app-limits.js';
import { appSessionChecks } from './app-session.js';
import { closeChecks } from './close.js';
import { controlChecks } from './control.js';
import { fragmentationChecks } from './fragmentation.js';
import { framingChecks } from './framing.js';
import { handshakeChecks } from './handshake.js';
import { handshakeAbuseChecks } from './handshake-abuse.js';
import { reservedChecks } from './reserved.js';
import { utf8Checks } from './utf8.js';

const all: Check[] = [
  ...handshakeChecks,
  ...handshakeAbuseChecks,
  ...framingChecks,
  ...controlChecks,
  ...reservedChecks,
  ...fragmentationChecks,
  ...utf8Checks,
  ...closeChecks,
  ...appSessionChecks,
  ...appCommandChecks,
  ...appErrorChecks,
  ...appLimitChecks,
];

export const ALL_CHECKS: readonly Check[] = [
  ...all.filter((c) => !c.exclusive),
  ...all.filter((c) => c.exclusive),
];

/** Checks whose id matches any pattern: a prefix (`framing`, `close.code-`) or a glob (`*utf8*`). */
export function selectChecks(patterns: string[], checks: readonly Check[] = ALL_CHECKS): Check[] {
  if (patterns.length === 0) return [...checks];
  const tests = patterns.map((p) => {
    if (!p.includes('*') && !p.includes('?'))
      return (id: string) => id === p || id.startsWith(p.endsWith('.') ? p : `${p}`);
    const re = new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return (id: string) => re.test(id);
  });
  return checks.filter((c) => tests.some((t) => t(c.id)));
}
