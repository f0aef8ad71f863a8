// `wsus-connector run` once the plan is valid: every server through the state machine (waves,
// gates, bounded parallelism), live job output, the JSON/JUnit/HTML reports, the webhook, and
// the exit code of the worst outcome.
import { serializeReport } from '../../model/report.ts';
import { fleetWaves } from '../../model/waves.ts';
import { argsFingerprint } from '../fingerprint.ts';
import { renderHtmlReport } from '../output/html-report.ts';
import { createJobOutput, type ServerLogs } from '../output/job-output.ts';
import { renderJunitReport } from '../output/junit-report.ts';
import { type RolloutSummary, rolloutSummary } from '../output/rollout-summary.ts';
import type { Clock, TargetAccess } from '../ports.ts';
import type { RunPlan } from '../run-plan.ts';
import type { TargetResult } from '../target-result.ts';
import { fleetExitCode, fleetResultCode, runFleetRollout } from './fleet.ts';
import type { HookRunner } from './hooks.ts';
import { pinnedOptions } from './pin-updates.ts';
import { emptyRolloutPlan } from './rollout-plan.ts';
import { codesAfterReports, saveReports } from './save-reports.ts';

/** Posts the summary; resolves with what happened, never rejects (a webhook cannot fail a run). */
export type WebhookPoster = (url: string, body: string) => Promise<{ ok: boolean; detail: string }>;

export interface RunCommandDeps {
  makeTarget: (server: string) => Promise<TargetAccess> | TargetAccess;
  clock: Clock;
  write: (text: string) => void;
  /** A terminal for progress bars; absent = plain lines. */
  tty?: NodeJS.WriteStream | undefined;
  writeReport: (path: string, text: string) => Promise<void>;
  holder: string;
  holderAlive?: ((holder: string) => boolean | undefined) | undefined;
  signal?: AbortSignal | undefined;
  runHook?: HookRunner | undefined;
  postWebhook?: WebhookPoster | undefined;
  /** Each server's full job output in its own file (--log-dir). */
  logs?: ServerLogs | undefined;
  /** Further files made from the results (assess's matrix), written with the reports. */
  moreReports?: ((results: readonly TargetResult[]) => { path: string; text: () => string }[]) | undefined;
}

export interface RunCommandResult {
  results: TargetResult[];
  exitCode: number;
  resultCode: number;
  summary: RolloutSummary;
}

/** Why: the run subcommand's body, free of process globals so start.ts and tests reuse it. */
export async function executeRunPlan(plan: RunPlan, deps: RunCommandDeps): Promise<RunCommandResult> {
  const rollout = plan.rollout ?? emptyRolloutPlan();
  const output = createJobOutput({
    write: deps.write,
    servers: plan.servers,
    tty: deps.tty,
    waveOf: waveIndex(plan.servers, rollout.waves),
    logs: deps.logs,
  });
  const header = (): [string, string][] => [
    ['transport', plan.transport],
    ...(plan.ssh.inventoryPath ? ([['inventory', plan.ssh.inventoryPath]] as [string, string][]) : []),
    ...(plan.servers.length > 1
      ? ([['servers', `${plan.servers.length}, ${plan.parallel} at a time`]] as [string, string][])
      : []),
    ...(plan.shard
      ? ([['shard', `${plan.shard.index}/${plan.shard.count} of ${plan.shard.fleetSize} servers`]] as [
          string,
          string,
        ][])
      : []),
    ...(deps.logs ? ([['logs', `${deps.logs.dir} (one file per server)`]] as [string, string][]) : []),
    ...(rollout.wavesText ? ([['waves', rollout.wavesText]] as [string, string][]) : []),
    ...(rollout.maxFailuresText ? ([['max failures', rollout.maxFailuresText]] as [string, string][]) : []),
    ...(rollout.deadline
      ? ([['deadline', `${new Date(rollout.deadline.ms).toISOString()} (${rollout.deadline.flag})`]] as [
          string,
          string,
        ][])
      : []),
  ];
  const startedAt = deps.clock.now();
  const fleet = await runFleetRollout({
    servers: plan.servers,
    parallel: plan.parallel,
    makeTarget: deps.makeTarget,
    clock: deps.clock,
    sink: output.sink,
    signal: deps.signal,
    header,
    holderAlive: deps.holderAlive,
    rollout,
    hooks:
      rollout.hooks.length && deps.runHook
        ? { hooks: rollout.hooks, timeoutMs: rollout.hookTimeoutMs, run: deps.runHook }
        : undefined,
    reportPath: plan.reportPath,
    note: (text) => output.note(text),
    options: (server, firstWave) => {
      const clientPath = plan.clientPathByServer?.get(server) ?? plan.target.clientPath;
      const target = pinnedOptions(
        { ...plan.target, clientPath, holder: deps.holder, fingerprint: '' },
        firstWave,
      );
      return { ...target, fingerprint: argsFingerprint(server, target) };
    },
  });
  const { results } = fleet;
  const exitCode = fleetExitCode(results);
  const resultCode = fleetResultCode(results);
  const summary = rolloutSummary({
    results,
    stoppedBy: fleet.stoppedBy,
    waves: fleet.waves.map((w) => w.map((i) => plan.servers[i]!)),
    startedAt,
    finishedAt: deps.clock.now(),
    resultCode,
    exitCode,
    interrupted: deps.signal?.aborted ?? false,
    deadline: rollout.deadline,
  });
  const unwritten = await saveReports(deps, [
    [
      plan.reportPath,
      () =>
        serializeReport(
          results.map((r) => r.report),
          plan.servers.length > 1 || plan.shard !== undefined,
        ),
    ],
    [rollout.junitPath, () => renderJunitReport(summary)],
    [rollout.htmlPath, () => renderHtmlReport(summary)],
    ...(deps.moreReports?.(results) ?? []).map((x): [string, () => string] => [x.path, x.text]),
  ]);
  if (rollout.webhookUrl && deps.postWebhook) {
    const r = await deps.postWebhook(rollout.webhookUrl, JSON.stringify(summary));
    output.note(
      r.ok ? `webhook: ${r.detail}` : `warning: the webhook failed (${r.detail}); the run's result stands`,
    );
  }
  const { ending, ...codes } = codesAfterReports(unwritten, { resultCode, exitCode }, plan.exitCodes);
  output.finish(results, codes.resultCode, fleet.stoppedBy?.message, ending);
  return { results, ...codes, summary };
}

/** Why: the grid's wave column, from the same plan of waves the fleet runs by. */
function waveIndex(servers: readonly string[], waves: RunPlanWaves): (server: string) => number {
  const of = new Map<string, number>();
  fleetWaves(waves, servers.length).forEach((w, n) => {
    for (const i of w) of.set(servers[i]!, n + 1);
  });
  return (server) => of.get(server) ?? 1;
}

type RunPlanWaves = NonNullable<RunPlan['rollout']>['waves'];
