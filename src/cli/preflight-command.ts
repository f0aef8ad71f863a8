// `wsus-connector preflight` (docs/usage.md "Preflight"): the run's plan and targets, the checks of
// src/connector/preflight/checks.ts per server, --parallel at a time; one line per check, a
// summary, exit 0 only when nothing failed, and the --report JSON.

import type { Clock } from '../connector/ports.ts';
import type { CheckLine } from '../connector/preflight/checks.ts';
import { preflightServer } from '../connector/preflight/checks.ts';
import type { RunPlan } from '../connector/run-plan.ts';
import { type PreflightReport, preflightReportSchema } from '../protocol/preflight-report.ts';
import type { TargetFactory } from './target-factory.ts';

function render(server: string, lines: CheckLine[]): string {
  return lines
    .map((l) => `${server}: ${l.level.padEnd(7)} ${l.check}: ${l.detail}${l.fix ? ` — fix: ${l.fix}` : ''}\n`)
    .join('');
}

/** Why: every server's checks, a bounded number at a time; resolves to the exit code. */
export async function runPreflight(
  plan: RunPlan,
  makeTarget: TargetFactory,
  clock: Clock,
  write: (text: string) => void,
  writeReport: (path: string, text: string) => Promise<void>,
): Promise<number> {
  const results: PreflightReport['servers'] = [];
  const queue = [...plan.servers];
  const worker = async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      const clientPath = plan.clientPathByServer?.get(s) ?? plan.target.clientPath;
      const checks = await preflightServer(await makeTarget(s), clientPath, clock);
      write(render(s, checks));
      results.push({ server: s, passed: !checks.some((c) => c.level === 'failed'), checks });
      write(`preflight: ${results.length}/${plan.servers.length} servers checked\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.parallel, plan.servers.length) }, worker));
  results.sort((a, b) => plan.servers.indexOf(a.server) - plan.servers.indexOf(b.server));
  const failed = results.filter((r) => !r.passed).length;
  const warnings = results.flatMap((r) => r.checks).filter((c) => c.level === 'warning').length;
  write(
    `Preflight: ${results.length - failed} of ${results.length} servers passed, ${failed} failed, ${warnings} warning(s)\n`,
  );
  if (plan.reportPath) {
    const report = preflightReportSchema.parse({
      kind: 'wsus-connector-preflight',
      servers: results,
      summary: { servers: results.length, passed: results.length - failed, failed, warnings },
    });
    await writeReport(plan.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  }
  write(`Result code: ${failed ? 1 : 0}\n`);
  return failed ? 1 : 0;
}
