// Opening handshake (RFC 6455 4.2) and the device's handshake security rules (protocol: Security).
import { ENDPOINT_PATH } from '@bleshark/shared-protocol';
import { acceptFor, randomKey } from '../handshake-request.js';
import { headerHasToken } from '../http-response.js';
import { type Check, fail, skip } from '../types.js';
import { expectRefusal, expectUpgrade, respond } from './handshake-helpers.js';

const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const SAMPLE_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
const FOREIGN_ORIGIN = 'http://evil.example';

const needToken = (t: string | undefined): string => t ?? skip('no --token given');

export const handshakeChecks: Check[] = [
  {
    id: 'handshake.accept-key',
    title: 'Sec-WebSocket-Accept matches',
    expect: '101 with the right accept key for random keys',
    ref: 'RFC 6455 4.2.2',
    async run(ctx) {
      for (let i = 0; i < 3; i++) {
        const key = randomKey();
        const { res } = await respond(ctx, { headers: { 'Sec-WebSocket-Key': key } }, 'a valid handshake');
        if (res.status !== 101) fail(`expected HTTP 101, got ${res.status} ${res.statusText}`.trim());
        const got = res.headers.get('sec-websocket-accept');
        if (got !== acceptFor(key))
          fail(`for key ${key} expected accept ${acceptFor(key)}, got ${got ?? '(none)'}`);
        if (!headerHasToken(res.headers.get('upgrade'), 'websocket'))
          fail(`Upgrade header is ${res.headers.get('upgrade') ?? '(missing)'}, expected websocket`);
        if (!headerHasToken(res.headers.get('connection'), 'upgrade'))
          fail(`Connection header is ${res.headers.get('connection') ?? '(missing)'}, expected Upgrade`);
      }
      return 'Sec-WebSocket-Accept matches';
    },
  },
  {
    id: 'handshake.accept-key-sample',
    title: 'the RFC sample key gives the RFC sample accept',
    expect: `accept ${SAMPLE_ACCEPT}`,
    ref: 'RFC 6455 1.3',
    async run(ctx) {
      const { res } = await respond(ctx, { headers: { 'Sec-WebSocket-Key': SAMPLE_KEY } }, 'the sample key');
      if (res.status !== 101) skip(`the device refused the RFC sample key (HTTP ${res.status})`);
      const got = res.headers.get('sec-websocket-accept');
      if (got !== SAMPLE_ACCEPT) fail(`expected accept ${SAMPLE_ACCEPT}, got ${got ?? '(none)'}`);
      return `accept ${SAMPLE_ACCEPT}`;
    },
  },
  {
    id: 'handshake.connection-keep-alive',
    title: '`Connection: keep-alive, Upgrade` is accepted',
    expect: '101',
    ref: 'RFC 6455 4.2.1',
    async run(ctx) {
      await expectUpgrade(
        ctx,
        { headers: { Connection: 'keep-alive, Upgrade' } },
        'Connection: keep-alive, Upgrade',
      );
      return 'upgraded with Connection: keep-alive, Upgrade';
    },
  },
  {
    id: 'handshake.header-case',
    title: 'header values are compared case-insensitively',
    expect: '101',
    ref: 'RFC 6455 4.2.1',
    async run(ctx) {
      await expectUpgrade(
        ctx,
        { headers: { Upgrade: 'WebSocket', Connection: 'upgrade' } },
        'Upgrade: WebSocket',
      );
      return 'upgraded with Upgrade: WebSocket, Connection: upgrade';
    },
  },
  {
    id: 'handshake.missing-key',
    title: 'a handshake without Sec-WebSocket-Key is refused',
    expect: 'HTTP 400',
    ref: 'RFC 6455 4.2.1',
    negative: true,
    run: (ctx) => expectRefusal(ctx, { headers: { 'Sec-WebSocket-Key': null } }, [400], 'a missing key'),
  },
  {
    id: 'handshake.bad-key',
    title: 'a key that is not 16 bytes of base64 is refused',
    expect: 'HTTP 400',
    ref: 'RFC 6455 4.2.1',
    negative: true,
    run: (ctx) =>
      expectRefusal(ctx, { headers: { 'Sec-WebSocket-Key': 'c2hvcnQ=' } }, [400], 'an 8-byte key'),
  },
  {
    id: 'handshake.version-8',
    title: 'version 8 is refused with 426 and Sec-WebSocket-Version: 13',
    expect: 'HTTP 426 + Sec-WebSocket-Version: 13',
    ref: 'RFC 6455 4.2.2',
    negative: true,
    async run(ctx) {
      const { res } = await respond(ctx, { headers: { 'Sec-WebSocket-Version': '8' } }, 'version 8');
      if (res.status !== 426)
        fail(`expected HTTP 426 for version 8, got ${res.status} ${res.statusText}`.trim());
      if (!headerHasToken(res.headers.get('sec-websocket-version'), '13'))
        fail(
          `426 without Sec-WebSocket-Version: 13 (got ${res.headers.get('sec-websocket-version') ?? 'none'})`,
        );
      return 'HTTP 426 with Sec-WebSocket-Version: 13';
    },
  },
  {
    id: 'handshake.missing-version',
    title: 'a handshake without Sec-WebSocket-Version is refused',
    expect: 'HTTP 400 or 426',
    ref: 'RFC 6455 4.2.1',
    negative: true,
    run: (ctx) =>
      expectRefusal(ctx, { headers: { 'Sec-WebSocket-Version': null } }, [400, 426], 'a missing version'),
  },
  {
    id: 'handshake.method-post',
    title: 'a POST upgrade request is refused',
    expect: 'HTTP 400, 404 or 405',
    ref: 'RFC 6455 4.2.1',
    negative: true,
    run: (ctx) => expectRefusal(ctx, { method: 'POST' }, [400, 404, 405], 'POST'),
  },
  {
    id: 'handshake.foreign-origin',
    title: 'a foreign Origin is refused before the upgrade',
    expect: 'HTTP 403',
    ref: 'protocol: Security (Origin)',
    negative: true,
    run: (ctx) =>
      expectRefusal(ctx, { headers: { Origin: FOREIGN_ORIGIN } }, [403], `Origin ${FOREIGN_ORIGIN}`),
  },
  {
    id: 'handshake.null-origin',
    title: 'Origin: null (sandboxed or file page) is refused',
    expect: 'HTTP 403',
    ref: 'protocol: Security (Origin)',
    negative: true,
    run: (ctx) => expectRefusal(ctx, { headers: { Origin: 'null' } }, [403], 'Origin null'),
  },
  {
    id: 'handshake.same-origin',
    title: 'the page served by the device (same origin) is accepted',
    expect: '101',
    ref: 'protocol: Security (Origin)',
    async run(ctx) {
      const origin =
        ctx.target.origin ?? `${ctx.target.secure ? 'https' : 'http'}://${ctx.target.hostHeader}`;
      await expectUpgrade(ctx, { headers: { Origin: origin } }, `Origin ${origin}`);
      return `upgraded with Origin ${origin}`;
    },
  },
  {
    id: 'handshake.no-origin',
    title: 'a request without Origin (a non-browser tool) is accepted',
    expect: '101',
    ref: 'protocol: Security (Origin)',
    async run(ctx) {
      await expectUpgrade(ctx, { headers: { Origin: null } }, 'no Origin');
      return 'upgraded without Origin';
    },
  },
  {
    id: 'handshake.foreign-host',
    title: 'a foreign Host (DNS rebinding) is refused',
    expect: 'HTTP 403',
    ref: 'protocol: Security (Host)',
    negative: true,
    run: (ctx) =>
      expectRefusal(
        ctx,
        { headers: { Host: `rebind.example:${ctx.target.port}`, Origin: null } },
        [403],
        'Host rebind.example',
      ),
  },
  {
    id: 'handshake.wrong-path',
    title: 'an upgrade on another path is refused',
    expect: 'HTTP 404',
    ref: 'protocol: Transport',
    negative: true,
    run: (ctx) =>
      expectRefusal(ctx, { path: `${ENDPOINT_PATH}-nope${ctx.target.query}` }, [404], 'a wrong path'),
  },
  {
    id: 'handshake.no-extensions',
    title: 'permessage-deflate is not negotiated',
    expect: '101 without Sec-WebSocket-Extensions',
    ref: 'protocol: Transport (no compression)',
    async run(ctx) {
      const res = await expectUpgrade(
        ctx,
        { headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' } },
        'an offer of permessage-deflate',
      );
      const ext = res.headers.get('sec-websocket-extensions');
      if (ext) fail(`the device accepted extensions: ${ext}`);
      return 'no extension negotiated';
    },
  },
  {
    id: 'handshake.token-missing',
    title: 'without the pairing token the upgrade is refused',
    expect: 'HTTP 403',
    ref: 'protocol: Security (Token)',
    negative: true,
    run(ctx) {
      needToken(ctx.target.token);
      return expectRefusal(ctx, { path: ctx.target.pathname }, [403], 'no token');
    },
  },
  {
    id: 'handshake.token-wrong',
    title: 'a wrong pairing token is refused',
    expect: 'HTTP 403',
    ref: 'protocol: Security (Token)',
    negative: true,
    run(ctx) {
      const t = needToken(ctx.target.token);
      return expectRefusal(
        ctx,
        { path: `${ctx.target.pathname}?token=${encodeURIComponent(`${t}x`)}` },
        [403],
        'a wrong token',
      );
    },
  },
  {
    id: 'handshake.token-cookie',
    title: 'the token is also taken from the bleshark_token cookie',
    expect: '101',
    ref: 'protocol: Security (Token)',
    async run(ctx) {
      const t = needToken(ctx.target.token);
      await expectUpgrade(
        ctx,
        { path: ctx.target.pathname, headers: { Cookie: `bleshark_token=${encodeURIComponent(t)}` } },
        'the token cookie',
      );
      return 'upgraded with the token in a cookie';
    },
  },
];
