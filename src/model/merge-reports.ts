// `wsus-connector merge-reports` (docs/scale.md): the JSON reports of a fleet's shards joined into
// one fleet report, with the result a single unsharded run would have had: the worst outcome,
// ranked as in docs/result-codes.md "Several servers".

import type { ServerReport } from './report.ts';
import {
  type ExitScheme,
  exitCodeFor,
  FAILURE_CLASSES,
  FAILURE_KINDS,
  type FailureKind,
  failureClass,
  type RunOutcome,
  worstOutcome,
} from './result-codes.ts';

/** Why: the outcome behind a report entry, rebuilt from its result code and error kind. */
export function outcomeOfReport(r: ServerReport): RunOutcome {
  const base: RunOutcome = {
    mode: r.mode,
    rebooted: r.rebooted,
    updatesFound: 0,
    anyFailed: false,
    failedAfterReboot: false,
    warnings: 0,
  };
  const code = r.resultCode;
  if (code === -1 || code === 9) return { ...base, anyFailed: true, failedAfterReboot: code === 9 };
  if (code < -1) {
    const kind: FailureKind | undefined =
      r.error?.kind ?? FAILURE_KINDS.find((k) => FAILURE_CLASSES[failureClass(k)].opcon === code);
    return { ...base, failure: kind ?? 'internal' };
  }
  const rest = code % 1000;
  return {
    ...base,
    rebooted: rest % 100 >= 10,
    updatesFound: rest >= 100 ? 1 : 0,
    warnings: rest % 10 >= 5 ? 1 : 0,
  };
}

export interface MergedFleet {
  /** Every server once, in the order of the reports given. */
  reports: ServerReport[];
  /** Servers found in more than one report: the entry that finished last was kept. */
  duplicates: string[];
  resultCode: number;
  exitCode: number;
  exitCodes: ExitScheme;
  /** Result code → number of servers. */
  counts: Map<number, number>;
}

/** Why: one fleet view from N shards; a server reported twice (overlapping reruns) keeps its latest run. */
export function mergeReports(reports: readonly ServerReport[], scheme?: ExitScheme): MergedFleet {
  const byServer = new Map<string, ServerReport>();
  const duplicates = new Set<string>();
  for (const r of reports) {
    const key = r.server.toLowerCase();
    const prev = byServer.get(key);
    if (prev) {
      duplicates.add(r.server);
      if (Date.parse(r.finishedAt) < Date.parse(prev.finishedAt)) continue;
      byServer.delete(key);
    }
    byServer.set(key, r);
  }
  const merged = [...byServer.values()];
  const exitCodes: ExitScheme = scheme ?? merged[0]?.exitCodes ?? 'posix';
  const worst = worstOutcome(merged.map((r) => ({ ...outcomeOfReport(r), r })));
  const counts = new Map<number, number>();
  for (const r of merged) counts.set(r.resultCode, (counts.get(r.resultCode) ?? 0) + 1);
  return {
    reports: merged,
    duplicates: [...duplicates],
    resultCode: worst?.r.resultCode ?? 0,
    exitCode: worst ? exitCodeFor(worst, exitCodes) : 0,
    exitCodes,
    counts,
  };
}
