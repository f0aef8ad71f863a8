// Results for servers the orchestration never touched: left out by a failure gate or the
// maintenance window (error.kind "not-started"), or stopped by a before-server hook ("hook").
import { exitCodeFor, type FailureKind, failureOutcome } from '../../model/result-codes.ts';
import { untouchedReport } from '../../model/untouched-report.ts';
import type { TargetRunOptions } from '../run-options.ts';
import type { TargetResult } from '../target-result.ts';

/** Why: every server of the fleet gets a report row and codes, even one nobody contacted. */
export function untouchedResult(
  server: string,
  options: Pick<TargetRunOptions, 'mode' | 'exitCodes'>,
  kind: Extract<FailureKind, 'not-started' | 'hook'>,
  message: string,
  nowMs: number,
): TargetResult {
  const outcome = failureOutcome(options.mode, kind);
  const report = untouchedReport(server, outcome, options.exitCodes, { kind, message }, new Date(nowMs));
  const exitCode = exitCodeFor(outcome, options.exitCodes);
  return { server, report, outcome, resultCode: report.resultCode, exitCode };
}

/**
 * Why: what the failure gates count as a failed server (a connector failure or a failed update);
 * a server a precheck skipped is left as it was, not failed (docs/usage.md#prechecks).
 */
export function isFailed(r: TargetResult): boolean {
  if (r.outcome.failure === 'precheck') return false;
  return r.outcome.failure !== undefined || r.outcome.anyFailed;
}
