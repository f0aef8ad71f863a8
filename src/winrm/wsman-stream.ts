// A long-running command as a duplex byte stream: writes go out as Send messages (in order, one
// at a time), reads come from a Receive loop that asks again after each OperationTimeout, and the
// stream ends when the command is Done. Destroying it stops the command (ctrl_c, then terminate). The
// pipe through `wsus-client relay` is such a stream (docs/target-commands.md).
import { Duplex } from 'node:stream';
import { TargetError } from '../connector/ports.ts';
import type { WsmanShell } from './wsman-shell.ts';

/** Why: the relay's stdin/stdout as the Duplex the connector's pipe code reads and writes. */
export function commandStream(shell: WsmanShell, commandId: string, onEnd: () => void): Duplex {
  let stopped = false;
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  // A dropped connection ends the stream as a dropped SSH channel does: the reader sees the
  // pipe close before run.end and reconnects from its last event (docs/usage.md "Bounds and retries").
  const lost = (err: Error) => {
    if (stopped) return;
    if (err instanceof TargetError && err.kind === 'unreachable') stream.destroy();
    else stream.destroy(err);
  };
  const sent = (p: Promise<unknown>, cb: (err?: Error | null) => void) =>
    p.then(
      () => cb(),
      (err: Error) => {
        cb();
        lost(err);
      },
    );
  const stream = new Duplex({
    write(chunk: Buffer, _enc, cb) {
      sent(shell.send(commandId, chunk), cb);
    },
    final(cb) {
      sent(shell.send(commandId, Buffer.alloc(0), true), cb);
    },
    read() {},
    destroy(err, cb) {
      stopped = true;
      void shell.abandon(commandId).finally(finish);
      cb(err);
    },
  });
  // The connector may keep a finished stream past its last read (the ack); a reset after that,
  // such as the host's reboot, must not be an unhandled 'error'. Readers get it all the same.
  stream.on('error', () => {});
  const loop = async () => {
    while (!stopped) {
      const chunk = await shell.receive(commandId);
      if (stopped) return;
      if (chunk.stdout.length > 0) stream.push(chunk.stdout);
      if (chunk.exit) {
        await shell.signal(commandId).catch(() => {});
        stream.push(null);
        finish();
        return;
      }
    }
  };
  loop().catch(lost);
  return stream;
}
