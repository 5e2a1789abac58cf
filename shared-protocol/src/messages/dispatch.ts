// One shape for every receiver: the message unions are derived from the schema maps, and a receiver handles
// them through a map with one handler per type. Add a schema to UP_SCHEMAS or DOWN_SCHEMAS and every
// `UpHandlers`/`DownHandlers` map that lacks a handler for it stops compiling.
import type { Infer, Schema } from '../schema.js';

/** The union of the messages a schema map (type -> schema) describes. */
export type MessageOf<M extends Readonly<Record<string, Schema>>> = { [T in keyof M]: Infer<M[T]> }[keyof M];

/** One handler per message type of the union `U`, each given its own message and the receiver's context. */
export type HandlerMap<U extends { readonly type: string }, Ctx = void, R = void> = {
  readonly [T in U['type']]: (msg: Extract<U, { readonly type: T }>, ctx: Ctx) => R;
};

type AnyHandler = (msg: never, ctx: never) => unknown;
type Arg<H, N extends 0 | 1> = H extends { readonly [type: string]: infer F }
  ? F extends (...args: infer A) => unknown
    ? A[N]
    : never
  : never;

/**
 * Calls the handler for `msg.type` (the map is exhaustive, so there is always one) and returns its result.
 * The context may be left out when the handlers take none (`DownHandlers` with the default `void`).
 */
export function dispatch<H extends { readonly [type: string]: AnyHandler }>(
  handlers: H,
  msg: Arg<H, 0>,
  ...ctx: Arg<H, 1> extends void ? [] : [ctx: Arg<H, 1>]
): ReturnType<H[keyof H]>;
export function dispatch(handlers: { [type: string]: AnyHandler }, msg: unknown, ctx?: unknown): unknown {
  return (handlers[(msg as { type: string }).type] as AnyHandler)(msg as never, ctx as never);
}
