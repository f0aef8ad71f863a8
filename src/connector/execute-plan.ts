// `wsus-connector run` once the plan is valid: every server through the state machine (bounded
// parallelism), live job output, the JSON report, and the exit code of the worst outcome.
import { serializeReport } from '../model/report.ts';
import { argsFingerprint } from './fingerprint.ts';
import { fleetExitCode, fleetResultCode, runFleet } from './fleet.ts';
import { createJobOutput } from './output/job-output.ts';
import type { Clock, TargetAccess } from './ports.ts';
import type { RunPlan } from './run-plan.ts';
import type { TargetResult } from './target-result.ts';

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
}

export interface RunCommandResult {
  results: TargetResult[];
  exitCode: number;
  resultCode: number;
}

/** Why: the run subcommand's body, free of process globals so start.ts and tests reuse it. */
export async function executeRunPlan(plan: RunPlan, deps: RunCommandDeps): Promise<RunCommandResult> {
  const output = createJobOutput({ write: deps.write, servers: plan.servers, tty: deps.tty });
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
  ];
  const results = await runFleet({
    servers: plan.servers,
    parallel: plan.parallel,
    makeTarget: deps.makeTarget,
    clock: deps.clock,
    sink: output.sink,
    signal: deps.signal,
    header,
    holderAlive: deps.holderAlive,
    options: (server) => {
      const clientPath = plan.clientPathByServer?.get(server) ?? plan.target.clientPath;
      const target = { ...plan.target, clientPath };
      return { ...target, holder: deps.holder, fingerprint: argsFingerprint(server, target) };
    },
  });
  const exitCode = fleetExitCode(results);
  const resultCode = fleetResultCode(results);
  if (plan.reportPath) {
    try {
      await deps.writeReport(
        plan.reportPath,
        serializeReport(
          results.map((r) => r.report),
          plan.servers.length > 1 || plan.shard !== undefined,
        ),
      );
    } catch (err) {
      deps.write(
        `wsus-connector: could not write the report ${plan.reportPath}: ${(err as Error).message}\n`,
      );
    }
  }
  output.finish(results, resultCode);
  return { results, exitCode, resultCode };
}
