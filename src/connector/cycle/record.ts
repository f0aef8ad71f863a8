// What the connector keeps of one cycle: the client's summary and log, plus what it saw itself
// (the reboot). The analysis, the report and the job output all read these records.
import type { ReportDeadline } from '../../model/report.ts';
import type { ActivityEvent, RunSummary } from '../../protocol/messages.ts';
import type { ClientStatus } from '../ports.ts';

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
  /** The after-reboot hook failed: a warning, since the reboot has happened. */
  afterRebootHookFailure?: string | undefined;
}

/** Why a cycle ends the run whatever the analysis says: the window closed, or a hook vetoed the reboot. */
export type Halt = { kind: 'deadline'; deadline: ReportDeadline } | { kind: 'hook'; message: string };

/** The status that ended a reboot wait and when it was read (the next cycle's readiness check). */
export interface StatusAfterReboot {
  status: ClientStatus;
  at: number;
}

/** What a cycle returns to the run: its record, and what the next step must know. */
export interface CycleEnd {
  record: CycleRecord;
  halt?: Halt | undefined;
  statusAfterReboot?: StatusAfterReboot | undefined;
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
