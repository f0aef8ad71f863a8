// ssh2 writes each SSH packet to its socket on its own, and on a connection every write is a
// system call (on loopback, one that also runs the receiving end's TCP work). Packets written in
// the same tick (a channel's reply, exit status, EOF and close) leave in one writev instead.
import type { Socket } from 'node:net';

/** Why: one system call per tick of packets instead of one per packet (docs/scale.md). */
export function coalesceWrites(sock: Socket): Socket {
  const write = sock.write;
  let corked = false;
  const flush = () => {
    corked = false;
    sock.uncork();
  };
  sock.write = function (this: Socket, ...args: unknown[]) {
    if (!corked) {
      corked = true;
      sock.cork();
      process.nextTick(flush);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as Socket['write'];
  return sock;
}
