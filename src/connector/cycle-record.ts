// What the connector keeps of one cycle: the client's summary and log, plus what it saw itself
// (the reboot). The analysis, the report and the job output all read these records.
import type { ActivityEvent, RunSummary } from '../protocol/messages.ts';

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
