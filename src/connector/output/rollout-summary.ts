// The fleet summary of one run: what the webhook posts as JSON and what the JUnit and HTML
// reports are rendered from (docs/usage.md "Reports and notification").
import type { ServerReport } from '../../model/report.ts';
import type { FleetStop } from '../fleet/fleet.ts';
import type { TargetResult } from '../target-result.ts';

export interface RolloutSummary {
  tool: 'wsus-connector';
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  /** The worst server's result code and exit code: what the run itself ended with. */
  resultCode: number;
  exitCode: number;
  interrupted: boolean;
  stoppedBy: FleetStop | null;
  deadline: string | null;
  waves: string[][];
  counts: { servers: number; ok: number; warnings: number; failed: number; notStarted: number };
  servers: ServerReport[];
}

/** Why: how a server ended, in the words the reports and the webhook share. */
export function serverStatus(r: ServerReport): 'ok' | 'warnings' | 'failed' | 'not-started' {
  if (r.error?.kind === 'not-started') return 'not-started';
  if (r.error || r.resultCode < 0 || r.resultCode === 9) return 'failed';
  if (r.warnings.length > 0 || r.resultCode % 10 === 5) return 'warnings';
  return 'ok';
}

/** Why: one summary object, built once, for every consumer at the end of the run. */
export function rolloutSummary(input: {
  results: readonly TargetResult[];
  stoppedBy: FleetStop | null;
  waves: string[][];
  startedAt: number;
  finishedAt: number;
  resultCode: number;
  exitCode: number;
  interrupted: boolean;
  deadline?: { ms: number } | undefined;
}): RolloutSummary {
  const servers = input.results.map((r) => r.report);
  const count = (s: ReturnType<typeof serverStatus>) => servers.filter((r) => serverStatus(r) === s).length;
  return {
    tool: 'wsus-connector',
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    durationSeconds: Math.round((input.finishedAt - input.startedAt) / 100) / 10,
    resultCode: input.resultCode,
    exitCode: input.exitCode,
    interrupted: input.interrupted,
    stoppedBy: input.stoppedBy,
    deadline: input.deadline ? new Date(input.deadline.ms).toISOString() : null,
    waves: input.waves,
    counts: {
      servers: servers.length,
      ok: count('ok'),
      warnings: count('warnings'),
      failed: count('failed'),
      notStarted: count('not-started'),
    },
    servers,
  };
}
