// What the connector keeps of one cycle: the client's summary and log, plus what it saw itself
// (the reboot). The analysis, the report and the job output all read these records.
import type { ActivityEvent, RunSummary } from '../../protocol/messages.ts';

export interface CycleRecord {
  n: number;
  summary: RunSummary;
  events: ActivityEvent[];
  /** Read back from log.jsonl by a resumed connector rather than followed live. */
  fromLogFile: boolean;
  /** A reboot of this run happened before this cycle started. */
  startedAfterReboot: boolean;
  /** The server rebooted after this cycle (boot time changed). */
  rebooted: boolean;
  bootTimeAfter: string | null;
  /** Time from the ack until the server was ready again, when watched. */
  rebootMs?: number | undefined;
}

/** Event kinds the cycle analysis never reads: a long install sends many of them. */
const TRANSIENT_KIND = /\.(progress|heartbeat)$/;

/**
 * Why: a record keeps the events the analysis and the report read, not the progress lines and
 * heartbeats the job output has already shown: a fleet's connector held every one of them, for
 * every server, until its run ended (docs/scale.md).
 */
export function keptEvents(events: readonly ActivityEvent[]): ActivityEvent[] {
  return events.filter((e) => !TRANSIENT_KIND.test(e.kind));
}
