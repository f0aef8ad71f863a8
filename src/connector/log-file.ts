// Reads a cycle's log.jsonl back from the target. A resumed connector uses it for cycles whose
// client has already exited: the file holds every event from seq 0, run.end, and the post-run
// events (ack.received, ack.timeout, reboot.start) that the pipe never carries.
import type { ActivityEvent, RunEnd } from '../protocol/messages.ts';
import { activityEventSchema, runEndSchema } from '../protocol/messages.ts';

export interface LogFileContent {
  events: ActivityEvent[];
  runEnd: RunEnd | null;
  /** Events logged after run.end (file only). */
  after: ActivityEvent[];
}

/** Why: parses log.jsonl leniently at the tail (a killed writer), strictly elsewhere. */
export function parseLogFile(text: string): LogFileContent {
  const out: LogFileContent = { events: [], runEnd: null, after: [] };
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  lines.forEach((line, i) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) return;
      throw new Error(`log.jsonl line ${i + 1} is not JSON`);
    }
    const type = (raw as { type?: unknown }).type;
    if (type === 'run.end') {
      out.runEnd = runEndSchema.parse(raw);
      return;
    }
    const event = activityEventSchema.parse(raw);
    (out.runEnd ? out.after : out.events).push(event);
  });
  return out;
}

/** Why: when the client logged the ack it got (its reboot starts then), as epoch ms; null if none. */
export function ackedAt(content: LogFileContent): number | null {
  const e = content.after.find((x) => x.kind === 'ack.received');
  const t = e ? Date.parse(e.time) : Number.NaN;
  return Number.isFinite(t) ? t : null;
}

/** Why: what happened after run.end, as the resume logic needs it. */
export function postRunState(content: LogFileContent): 'acked' | 'ack-timeout' | 'waiting' {
  if (content.after.some((e) => e.kind === 'ack.received')) return 'acked';
  if (content.after.some((e) => e.kind === 'ack.timeout')) return 'ack-timeout';
  return 'waiting';
}
