// Results for servers the orchestration never touched: left out by a failure gate or the
// maintenance window (error.kind "not-started"), or stopped by a before-server hook ("hook").
import { buildServerReport } from '../../model/report.ts';
import {
  classicResultCode,
  type FailureKind,
  failureOutcome,
  posixExitCode,
} from '../../model/result-codes.ts';
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
  const resultCode = classicResultCode(outcome);
  const exitCode = options.exitCodes === 'opcon' ? resultCode : posixExitCode(outcome);
  const report = buildServerReport({
    server,
    mode: options.mode,
    runId: null,
    resultCode,
    exitCode,
    exitCodes: options.exitCodes,
    startedAt: new Date(nowMs),
    finishedAt: new Date(nowMs),
    cycles: [],
    cycleUpdates: [],
    warnings: [],
    error: { kind, message },
  });
  return { server, report, outcome, resultCode, exitCode };
}

/**
 * Why: what the failure gates count as a failed server (a connector failure or a failed update);
 * a server a precheck skipped is left as it was, not failed (docs/usage.md#prechecks).
 */
export function isFailed(r: TargetResult): boolean {
  if (r.outcome.failure === 'precheck') return false;
  return r.outcome.failure !== undefined || r.outcome.anyFailed;
}
