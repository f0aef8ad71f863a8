// One cycle of the JSON report, computed from what the connector kept of it. The input is typed
// by shape, so the model needs nothing from the protocol or the connector.
import type { ReportCycle } from './report.ts';

/** What the report needs of one cycle: the client's summary and what the connector saw itself. */
export interface CycleFacts {
  n: number;
  summary: {
    bootTime: string;
    updates: readonly { status: string }[];
    rebootRequired: boolean;
    rebootPendingAtStart: boolean;
  };
  bootTimeAfter: string | null;
  rebooted: boolean;
  rebootMs?: number | undefined;
  fromLogFile: boolean;
}

/** Why: the report's `cycles[]` entry: counts by status, reboot facts, tenths of a second. */
export function reportCycle(c: CycleFacts): ReportCycle {
  const count = (status: string) => c.summary.updates.filter((u) => u.status === status).length;
  return {
    n: c.n,
    bootTimeBefore: c.summary.bootTime || null,
    bootTimeAfter: c.bootTimeAfter,
    found: c.summary.updates.filter((u) => u.status !== 'filtered').length,
    installed: count('installed'),
    failed: count('failed'),
    rebootRequired: c.summary.rebootRequired,
    rebooted: c.rebooted,
    ...(c.rebootMs !== undefined ? { rebootSeconds: Math.round(c.rebootMs / 100) / 10 } : {}),
    rebootPendingAtStart: c.summary.rebootPendingAtStart,
    ...(c.fromLogFile ? { resumed: true } : {}),
  };
}
