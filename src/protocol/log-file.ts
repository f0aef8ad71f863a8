// Reading a client's log.jsonl as a file (after the pipe was unreachable, or after a crash): the
// same messages as on the pipe, but the file may end mid-line if the writer was killed mid-write.
import { decodeClientMessage } from './codec.ts';
import type { ActivityEvent, RunEnd } from './messages.ts';
import { ProtocolError } from './protocol-error.ts';

export interface ParsedLogFile {
  /** Events up to run.end (or all of them when there is no run.end). */
  events: ActivityEvent[];
  runEnd: RunEnd | null;
  /** Events the client logged after run.end (ack.received, reboot.start, ack.timeout...). */
  after: ActivityEvent[];
  /** The last line was cut off (the writer died mid-write); it is ignored. */
  truncated: boolean;
}

/** Why: lets the connector recover a run's outcome from the file when the pipe is gone. */
export function parseLogFile(text: string, fileName = 'log.jsonl'): ParsedLogFile {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const out: ParsedLogFile = { events: [], runEnd: null, after: [], truncated: last.trim() !== '' };
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let msg: ReturnType<typeof decodeClientMessage>;
    try {
      msg = decodeClientMessage(line);
    } catch (err) {
      throw new ProtocolError(`${fileName}:${i + 1}: ${(err as Error).message}`);
    }
    const expected = out.events.length + (out.runEnd ? 1 + out.after.length : 0);
    if (msg.seq !== expected)
      throw new ProtocolError(`${fileName}:${i + 1}: seq ${msg.seq}, expected ${expected}`);
    if (msg.type === 'run.end') {
      if (out.runEnd) throw new ProtocolError(`${fileName}:${i + 1}: a second run.end`);
      out.runEnd = msg;
    } else if (out.runEnd) out.after.push(msg);
    else out.events.push(msg);
  });
  return out;
}

/** Why: when the client logged the ack it got (its reboot starts then), as epoch ms; null if none. */
export function ackedAt(content: ParsedLogFile): number | null {
  const e = content.after.find((x) => x.kind === 'ack.received');
  const t = e ? Date.parse(e.time) : Number.NaN;
  return Number.isFinite(t) ? t : null;
}
