// What one target's run hands back: its report, the outcome the codes were computed from, and
// the codes themselves (the multi-server runner picks the worst).
import type { ServerReport } from '../model/report.ts';
import type { RunOutcome } from '../model/result-codes.ts';

export interface TargetResult {
  server: string;
  report: ServerReport;
  outcome: RunOutcome;
  resultCode: number;
  exitCode: number;
}
