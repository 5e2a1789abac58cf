// Error answers (protocol: Error codes): each with its code and the command id; the connection stays.
import { nextId } from '../expect.js';
import type { Check } from '../types.js';
import { expectError } from './app-helpers.js';

const errorCheck = (
  name: string,
  title: string,
  code: string,
  text: (id: string) => string,
  withId: boolean,
): Check => ({
  id: `app.error-${name}`,
  title,
  expect: `error ${code}${withId ? ' with the id' : ''}, connection kept`,
  ref: `protocol: Error codes (${code})`,
  async run(ctx) {
    const s = await ctx.session();
    const id = nextId('e');
    return expectError(s, text(id), code, withId ? id : undefined);
  },
});

export const appErrorChecks: Check[] = [
  errorCheck(
    'invalid-json',
    'text that is not JSON is answered with invalid-json',
    'invalid-json',
    (id) => `{"type":"scan-start","id":"${id}"`,
    false,
  ),
  errorCheck(
    'not-object',
    'a JSON array is answered with invalid-json',
    'invalid-json',
    () => '[1,2,3]',
    false,
  ),
  errorCheck(
    'unknown-type',
    'an unknown type is answered with unknown-type',
    'unknown-type',
    (id) => JSON.stringify({ type: 'self-destruct', id }),
    true,
  ),
  errorCheck(
    'missing-type',
    'a command without type is answered with unknown-type',
    'unknown-type',
    (id) => JSON.stringify({ id }),
    true,
  ),
  errorCheck(
    'invalid-field',
    'a bad field value is answered with invalid-field',
    'invalid-field',
    (id) => JSON.stringify({ type: 'scan-start', id, mode: 'turbo' }),
    true,
  ),
  errorCheck(
    'window-over-interval',
    'a scan window over the interval is answered with invalid-field',
    'invalid-field',
    (id) => JSON.stringify({ type: 'scan-start', id, interval: 100, window: 200 }),
    true,
  ),
  errorCheck(
    'filter-field',
    'a filter with a bad minRssi is answered with invalid-field',
    'invalid-field',
    (id) => JSON.stringify({ type: 'filter', id, filter: { minRssi: 'loud' } }),
    true,
  ),
];
