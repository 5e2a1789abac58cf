// Handshakes that try to wear the device down: a header flood and a client that never finishes.
import { buildHandshake } from '../handshake-request.js';
import { type Check, fail } from '../types.js';

export const handshakeAbuseChecks: Check[] = [
  {
    id: 'handshake.header-flood',
    title: 'a request with thousands of headers is refused without harm',
    expect: 'HTTP 4xx or connection closed',
    ref: 'REFERENCE: header-count DoS (ws 8.17.1)',
    negative: true,
    async run(ctx) {
      const extraLines = Array.from({ length: 4000 }, (_, i) => `X-Flood-${i}: ${'a'.repeat(24)}`);
      const { result } = await ctx.connect({ extraLines });
      if (result.type === 'timeout')
        return fail(`the device neither answered nor closed within ${ctx.timeoutMs} ms`);
      if (result.type === 'end') return 'connection closed';
      if (result.type === 'malformed') return fail(`malformed response: ${result.detail}`);
      const st = result.response.status;
      if (st < 400 || st > 499) fail(`expected HTTP 4xx, got ${st} ${result.response.statusText}`.trim());
      return `HTTP ${st}`;
    },
  },
  {
    id: 'handshake.slow-client',
    title: 'a client stuck mid-handshake does not block others',
    expect: 'a second client gets hello',
    ref: 'REFERENCE: slow handshakes',
    negative: true,
    async run(ctx) {
      const slow = await ctx.open();
      const req = buildHandshake(ctx.target).text;
      slow.write(req.slice(0, Math.floor(req.length / 2)));
      const s = await ctx.session();
      if (!s.hello) fail('the second client did not get hello while another handshake was pending');
      slow.destroy();
      return 'hello arrived while another handshake was half sent';
    },
  },
];
