// Protocol messages for tests: an empty run summary and the JSON lines of events and run.end,
// shared so every test speaks the same, schema-valid wire format.
import type { RunSummary } from '../../src/protocol/messages.ts';

/** Why: a valid run summary with nothing in it; tests override what they care about. */
export function emptySummary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'r',
    cycle: 1,
    mode: 'check',
    bootTime: 'b',
    rebootPendingAtStart: false,
    rebootRequired: false,
    willReboot: false,
    updates: [],
    warnings: [],
    ...over,
  };
}

/** Why: one activity event as it appears on the pipe and in log.jsonl (no newline). */
export function eventLine(seq: number, kind = 'k'): string {
  return JSON.stringify({ type: 'event', seq, time: 't', level: 'info', kind, message: 'm' });
}

/** Why: a run.end line (no newline). */
export function runEndLine(seq: number, over: Partial<RunSummary> = {}): string {
  return JSON.stringify({ type: 'run.end', seq, summary: emptySummary(over) });
}
