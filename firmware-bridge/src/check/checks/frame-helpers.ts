// Helpers shared by the frame-level checks: send frames after hello, then expect a close or an answer.

import type { Session } from '../app-connection.js';
import { CHECKER_BOUNDS } from '../bounds.js';
import { buildFrame, type FrameSpec, OPCODE } from '../client-frame.js';
import { expectClose, nextId } from '../expect.js';
import { type CheckContext, fail } from '../types.js';

/** A valid command that the device answers with an ack. */
export const probeCommand = (id = nextId('p')): { id: string; text: string } => ({
  id,
  text: JSON.stringify({ type: 'snapshot-request', id }),
});

/** Opens a session, sends the frames in one write, and requires a close with one of `codes`. */
export async function sendAndExpectClose(
  ctx: CheckContext,
  frames: FrameSpec[],
  codes: number[],
): Promise<string> {
  const s = await ctx.session();
  s.conn.write(Buffer.concat(frames.map(buildFrame)));
  return expectClose(s, codes);
}

/** Opens a session, sends the frames, and requires the ack of command `id` (the device accepted them). */
export async function sendAndExpectAck(ctx: CheckContext, frames: FrameSpec[], id: string): Promise<Session> {
  const s = await ctx.session();
  s.conn.write(Buffer.concat(frames.map(buildFrame)));
  const a = await s.answerTo(id);
  if (a.type !== 'ack') fail(`expected ack, got error ${a.code}: ${a.message}`);
  return s;
}

/** A text frame holding a valid command. */
export const textFrame = (text: string, extra: Partial<FrameSpec> = {}): FrameSpec => ({
  opcode: OPCODE.text,
  payload: text,
  ...extra,
});

/** Observes a session for `ms` while prodding it (a snapshot request and a ping) to see many frames. */
export async function observe(s: Session, ms: number): Promise<void> {
  s.command({ type: 'snapshot-request', id: nextId('obs') });
  s.conn.send({ opcode: OPCODE.ping, payload: 'observe' });
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const e = await s.next(Math.max(0, deadline - Date.now()));
    if (e.kind === 'close' || e.kind === 'end') return;
  }
}

/** A few of the device's batch intervals (200 ms without a valid hello), each at most the checker's bound. */
export const batchWindowMs = (ctx: CheckContext, intervals: number): number =>
  intervals * Math.min(ctx.baseline?.limits.batchIntervalMs ?? 200, CHECKER_BOUNDS.maxBatchIntervalMs);

/** How long a passive observation lasts, from the device's batch interval. */
export const observeMs = (ctx: CheckContext): number => Math.max(600, batchWindowMs(ctx, 4));
