// The one run-time patch of another library in the simulator, kept here alone: reading the bytes a client
// sends BEFORE `ws` parses them. Neither `ws` (no hook for raw inbound bytes; handleUpgrade attaches its
// own 'data' listener to the socket) nor Node (no supported interception point between a net.Socket's reads
// and its 'data' listeners) offers an API for it, so the socket's own `push` (which Node's read path calls
// for every chunk, push(null) at EOF) is replaced on that one socket instance, never on a prototype.
// socket-read-tap.test.ts fails loudly if Node or `ws` stop reading through `push`.
import type { Duplex } from 'node:stream';

type Push = (chunk: unknown, encoding?: BufferEncoding) => boolean;

/**
 * What the tap does with one chunk: return it (or a part of it) to pass it on to the socket's readers,
 * `undefined` to withhold it (it still counts as read, so the peer is not reset), or 'untap' to pass it on
 * and remove the tap.
 */
export type ReadTap = (chunk: Uint8Array) => Uint8Array | undefined | 'untap';

/** Puts `tap` in front of every chunk `socket` reads from now on; returns the function that removes it. */
export function tapSocketReads(socket: Duplex, tap: ReadTap): () => void {
  const own = Object.hasOwn(socket, 'push');
  const original = socket.push;
  const pass = (chunk: unknown, encoding?: BufferEncoding): boolean => original.call(socket, chunk, encoding);
  let tapped = true;
  const untap = () => {
    if (!tapped) return;
    tapped = false;
    if (own) socket.push = original;
    else delete (socket as { push?: Push }).push;
  };
  socket.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (!(chunk instanceof Uint8Array)) return pass(chunk, encoding);
    const out = tap(chunk);
    if (out === 'untap') {
      untap();
      return pass(chunk, encoding);
    }
    return out === undefined || out.length === 0 ? true : pass(out, encoding);
  };
  socket.once('close', untap);
  return untap;
}
