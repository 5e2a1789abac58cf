// Small helpers for the handshake checks.
import { expectStatus } from '../expect.js';
import type { HandshakeOptions } from '../handshake-request.js';
import type { HttpResponse } from '../http-response.js';
import { type CheckContext, fail } from '../types.js';

/** Performs a handshake and returns the HTTP response, failing on timeout, close or garbage. */
export async function respond(
  ctx: CheckContext,
  opts: HandshakeOptions,
  what: string,
): Promise<{ res: HttpResponse; key: string | undefined }> {
  const { result, key } = await ctx.connect(opts);
  if (result.type === 'timeout') return fail(`no HTTP response to ${what} within ${ctx.timeoutMs} ms`);
  if (result.type === 'end') return fail(`connection closed without an HTTP response to ${what}`);
  if (result.type === 'malformed') return fail(`malformed response to ${what}: ${result.detail}`);
  return { res: result.response, key };
}

/** The device refuses the request with one of `statuses` before upgrading. */
export async function expectRefusal(
  ctx: CheckContext,
  opts: HandshakeOptions,
  statuses: number[],
  what: string,
): Promise<string> {
  const { res } = await respond(ctx, opts, what);
  return expectStatus(res, statuses, what);
}

/** The device upgrades the request (101). */
export async function expectUpgrade(
  ctx: CheckContext,
  opts: HandshakeOptions,
  what: string,
): Promise<HttpResponse> {
  const { res } = await respond(ctx, opts, what);
  if (res.status !== 101) fail(`expected HTTP 101 for ${what}, got ${res.status} ${res.statusText}`.trim());
  return res;
}
