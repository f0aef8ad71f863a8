// The connector's side of the pipe protocol (docs/protocol.md), over any duplex: a local socket,
// an SMB pipe, or the SSH channel of `wsus-client relay`. Says hello, follows the log, returns
// run.end; the caller then acks, so it can persist the summary before the client may reboot.
import type { Duplex, Writable } from 'node:stream';
import { decodeClientMessage, encodeMessage } from './codec.ts';
import { MessageReader } from './message-reader.ts';
import type { ActivityEvent, RunEnd } from './messages.ts';
import { ProtocolError, RunLogInterruptedError } from './protocol-error.ts';

export interface ReadRunLogOptions {
  token: string;
  /** First seq wanted: 0 on the first connection, last seen + 1 on a reconnect. */
  from?: number;
  onEvent?: (event: ActivityEvent) => void;
  signal?: AbortSignal;
  maxLineBytes?: number;
}

function writeLine(stream: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(line, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Why: reads one run's log from the client. Resolves with run.end (the stream stays open for the
 * ack); rejects with RunLogInterruptedError (carrying the `from` for a reconnect) if the pipe
 * closes first, ProtocolError on a bad line or a seq gap, or the signal's reason on abort.
 */
export async function readRunLog(stream: Duplex, opts: ReadRunLogOptions): Promise<RunEnd> {
  const from = opts.from ?? 0;
  let next = from;
  const reader = new MessageReader(stream, decodeClientMessage, {
    maxLineBytes: opts.maxLineBytes,
    signal: opts.signal,
  });
  try {
    // A write error surfaces through the reader as well; do not let it reject unobserved.
    writeLine(stream, encodeMessage({ type: 'hello', token: opts.token, from })).catch(() => {});
    for (let msg = await reader.next(); msg !== null; msg = await reader.next()) {
      if (msg.type === 'event') {
        if (msg.seq !== next) throw new ProtocolError(`expected event seq ${next}, got ${msg.seq}`);
        next++;
        opts.onEvent?.(msg);
      } else {
        if (msg.seq !== next) throw new ProtocolError(`run.end has seq ${msg.seq}, expected ${next}`);
        reader.close();
        // Nothing follows run.end; keep the stream flowing so the client's close reaches the caller.
        stream.resume();
        return msg;
      }
    }
    throw new RunLogInterruptedError(
      reader.receivedAny
        ? `the pipe closed before run.end (next seq ${next})`
        : 'the pipe closed without sending anything (wrong token, or no run behind this pipe)',
      next,
      reader.receivedAny,
    );
  } finally {
    reader.close();
  }
}

/** Why: acknowledges run.end; only after this may the client reboot the server. */
export function ack(stream: Writable, seq: number): Promise<void> {
  return writeLine(stream, encodeMessage({ type: 'ack', seq }));
}
