// The one summary table at the end of a multi-server run: a row per server with its codes.
import { formatDuration } from '../../model/duration.ts';
import type { TargetResult } from '../target-result.ts';
import { renderTable } from './format.ts';

/** Why: lets the operator see every server's outcome at a glance, and where a failing one's log is. */
export function fleetSummaryLines(
  results: readonly TargetResult[],
  logs?: { dir: string; pathOf(server: string): string },
): string[] {
  return [...fleetTable(results), ...logLines(results, logs)];
}

/** Why: the per-server logs' folder, and each failing server's own file by name. */
function logLines(
  results: readonly TargetResult[],
  logs: { dir: string; pathOf(server: string): string } | undefined,
): string[] {
  if (!logs) return [];
  const failed = results.filter((r) => r.report.error);
  return [
    `Per-server logs: ${logs.dir}`,
    ...failed.map((r) => `  ${r.server} failed (${r.report.error?.kind}): log ${logs.pathOf(r.server)}`),
  ];
}

function fleetTable(results: readonly TargetResult[]): string[] {
  const rows = results.map((r) => {
    const rep = r.report;
    const count = (s: string) => rep.updates.filter((u) => u.status === s).length;
    const outcome = rep.error
      ? `${rep.error.kind}: ${rep.error.message}`
      : rep.warnings.length
        ? `warnings: ${rep.warnings[0]}`
        : 'ok';
    return [
      rep.server,
      String(rep.resultCode),
      String(rep.exitCode),
      String(rep.cycles.length),
      String(count('installed')),
      String(count('failed')),
      String(rep.cycles.filter((c) => c.rebooted).length),
      formatDuration(Date.parse(rep.finishedAt) - Date.parse(rep.startedAt)),
      outcome,
    ];
  });
  return renderTable(
    ['Server', 'Result', 'Exit', 'Cycles', 'Installed', 'Failed', 'Reboots', 'Duration', 'Outcome'],
    rows,
    [24, 6, 4, 6, 9, 6, 7, 9, 80],
  );
}
