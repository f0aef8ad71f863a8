// The report of a server nothing was done on: a usage error before any target was touched, a
// failure gate or the maintenance window that left it out, a before-server hook that refused it.
import { buildServerReport, type ReportError, type ServerReport } from './report.ts';
import { classicResultCode, type ExitScheme, exitCodeFor, type RunOutcome } from './result-codes.ts';

/** Why: every such server gets the same report (no cycles, its error), built in one place. */
export function untouchedReport(
  server: string,
  outcome: RunOutcome,
  exitCodes: ExitScheme,
  error: ReportError,
  at: Date,
): ServerReport {
  return buildServerReport({
    server,
    mode: outcome.mode,
    runId: null,
    resultCode: classicResultCode(outcome),
    exitCode: exitCodeFor(outcome, exitCodes),
    exitCodes,
    startedAt: at,
    finishedAt: at,
    cycles: [],
    cycleUpdates: [],
    warnings: [],
    error,
  });
}
