// Every write to a socket is a system call (on loopback, one that also runs the receiving end's
// TCP work). ssh2 writes each SSH packet on its own, and the client's pipe server wrote each log
// line on its own; the writes of one tick (a channel's reply, exit status, EOF and close; a run's
// start and its search results) leave in one writev instead. end() flushes what is corked.
import type { Writable } from 'node:stream';

/** Why: one system call per tick of writes instead of one per write (docs/scale.md). */
export function coalesceWrites<T extends Writable>(stream: T): T {
  const write = stream.write;
  let corked = false;
  const flush = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = function (this: T, ...args: unknown[]) {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(flush);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as T['write'];
  return stream;
}
