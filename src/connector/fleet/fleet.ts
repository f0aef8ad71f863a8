// Several servers in one run (docs/result-codes.md#several-servers, docs/usage.md#waves-and-failure-gates):
// waves run one after the other, at most `parallel` targets at a time within a wave, and a failure
// budget or the maintenance window stops new servers (running ones finish). Results come back
// in the order the servers were given; the exit code is the worst outcome's.
import { setMaxListeners } from 'node:events';
import { formatDuration } from '../../model/duration.ts';
import { worstOutcome } from '../../model/result-codes.ts';
import { failureLimit, fleetWaves } from '../../model/waves.ts';
import type { ConnectorSink } from '../events.ts';
import { runTarget, type TargetRunDeps } from '../orchestrator.ts';
import type { Clock, TargetAccess } from '../ports.ts';
import type { TargetRunOptions } from '../run-options.ts';
import { linkedSignal } from '../signals.ts';
import type { TargetResult } from '../target-result.ts';
import { type HookSettings, runHooks } from './hooks.ts';
import { isFailed, untouchedResult } from './not-started.ts';
import type { RolloutPlan } from './rollout-plan.ts';

export interface FleetRunDeps {
  servers: string[];
  parallel: number;
  makeTarget: (server: string) => Promise<TargetAccess> | TargetAccess;
  /** A later wave's server also gets the first wave's results (--pin-updates). */
  options: (server: string, firstWave?: readonly TargetResult[]) => TargetRunOptions;
  clock: Clock;
  sink: ConnectorSink;
  signal?: AbortSignal | undefined;
  header?: ((server: string) => [string, string][]) | undefined;
  holderAlive?: TargetRunDeps['holderAlive'];
  newRunId?: TargetRunDeps['newRunId'];
  /** Waves, failure budget, deadline; absent = one wave, no gate. */
  rollout?: Pick<RolloutPlan, 'waves' | 'maxFailures' | 'maxFailuresText' | 'deadline'> | undefined;
  hooks?: HookSettings | undefined;
  /** The JSON report's path, for the hooks' WSUS_REPORT. */
  reportPath?: string | undefined;
  /** Fleet-level lines (a wave starts, a gate closes). */
  note?: ((text: string) => void) | undefined;
}

/** Which gate stopped the fleet, for the job output, the reports and the webhook. */
export interface FleetStop {
  gate: 'max-failures' | 'deadline';
  message: string;
}

export interface FleetRun {
  results: TargetResult[];
  stoppedBy: FleetStop | null;
  /** Server indices per wave, as run. */
  waves: number[][];
}

/** Why: runs every server through the state machine in waves and gates, and says which gate stopped the fleet; never rejects. */
export async function runFleetRollout(deps: FleetRunDeps): Promise<FleetRun> {
  // Each running server's own signal follows this one: a listener each is expected.
  if (deps.signal) setMaxListeners(Math.max(10, 2 * deps.parallel), deps.signal);
  const total = deps.servers.length;
  const results: (TargetResult | undefined)[] = new Array(total);
  const waves = fleetWaves(deps.rollout?.waves, total);
  const limit = deps.rollout?.maxFailures ? failureLimit(deps.rollout.maxFailures, total) : Infinity;
  let failed = 0;
  let stoppedBy: FleetStop | null = null;
  const gate = (): FleetStop | null => {
    if (stoppedBy) return stoppedBy;
    if (failed >= limit) {
      stoppedBy = {
        gate: 'max-failures',
        message: `--max-failures ${deps.rollout?.maxFailuresText ?? limit} reached: ${failed} of ${total} server(s) failed`,
      };
    } else if (deps.rollout?.deadline && deps.clock.now() >= deps.rollout.deadline.ms) {
      stoppedBy = {
        gate: 'deadline',
        message: `${deps.rollout.deadline.flag} passed (${new Date(deps.rollout.deadline.ms).toISOString()})`,
      };
    }
    if (stoppedBy) deps.note?.(`fleet stopped by the ${stoppedBy.gate} gate: ${stoppedBy.message}`);
    return stoppedBy;
  };
  for (const [w, wave] of waves.entries()) {
    const firstWave = w > 0 ? waves[0]?.map((i) => results[i]).filter((r) => r !== undefined) : undefined;
    if (waves.length > 1 && !gate()) {
      const names = wave.map((i) => deps.servers[i]).join(', ');
      deps.note?.(`wave ${w + 1} of ${waves.length}: ${wave.length} server(s): ${names}`);
    }
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = wave[next++];
        if (i === undefined) return;
        const server = deps.servers[i]!;
        // An interrupted run still goes through runTarget so each server reports "interrupted".
        const stop = deps.signal?.aborted ? null : gate();
        if (stop) {
          results[i] = untouchedResult(
            server,
            deps.options(server, firstWave),
            'not-started',
            `not started: ${stop.message}`,
            deps.clock.now(),
          );
          continue;
        }
        const r = await runOne(deps, server, firstWave);
        results[i] = r;
        if (isFailed(r)) failed++;
      }
    };
    const n = Math.max(1, Math.min(deps.parallel, wave.length));
    const started = deps.clock.now();
    await Promise.all(Array.from({ length: n }, worker));
    if (waves.length > 1 && !stoppedBy) {
      deps.note?.(
        `wave ${w + 1} done in ${formatDuration(deps.clock.now() - started)}; ${failed} failed so far`,
      );
    }
  }
  return { results: results as TargetResult[], stoppedBy, waves };
}

/** One server: before-server hook, the state machine, after-server hook. */
async function runOne(
  deps: FleetRunDeps,
  server: string,
  firstWave: readonly TargetResult[] | undefined,
): Promise<TargetResult> {
  // The server's waits listen on a signal of its own, which follows the run's (./signals.ts).
  const own = linkedSignal(deps.signal);
  try {
    return await runServer({ ...deps, signal: own.signal }, server, firstWave);
  } finally {
    own.detach();
  }
}

/** Why: before-server hook, the state machine, after-server hook (a refusal leaves the server untouched). */
async function runServer(
  deps: FleetRunDeps,
  server: string,
  firstWave: readonly TargetResult[] | undefined,
): Promise<TargetResult> {
  const options = deps.options(server, firstWave);
  const out = { sink: deps.sink, now: () => deps.clock.now(), signal: deps.signal };
  const ctx = { server, cycle: 0, runId: null, result: '', reportPath: deps.reportPath ?? '' };
  const refused = await runHooks(deps.hooks, 'before-server', ctx, out);
  if (refused) {
    const r = untouchedResult(
      server,
      options,
      'hook',
      `${refused.message}; the server was not contacted`,
      deps.clock.now(),
    );
    deps.sink({ type: 'done', server, time: deps.clock.now(), result: r });
    return r;
  }
  let target: TargetAccess;
  try {
    target = await deps.makeTarget(server);
  } catch (err) {
    target = failingTarget(server, err);
  }
  const result = await runTarget({
    target,
    clock: deps.clock,
    options,
    sink: deps.sink,
    signal: deps.signal,
    header: deps.header?.(server),
    holderAlive: deps.holderAlive,
    newRunId: deps.newRunId,
    hooks: deps.hooks,
    deadline: deps.rollout?.deadline,
    reportPath: deps.reportPath,
  });
  await runHooks(
    deps.hooks,
    'after-server',
    {
      ...ctx,
      cycle: result.report.cycles.length,
      runId: result.report.runId,
      result: String(result.resultCode),
    },
    out,
  );
  return result;
}

/** The worst server's result: the one whose codes a multi-server run ends with. */
function worstResult(results: readonly TargetResult[]): TargetResult | undefined {
  return worstOutcome(results.map((r) => ({ ...r.outcome, r })))?.r;
}

/** Why: the one number a multi-server run exits with. */
export function fleetExitCode(results: readonly TargetResult[]): number {
  return worstResult(results)?.exitCode ?? 0;
}

/** Why: the result code printed on the last line of a multi-server run (the worst server's). */
export function fleetResultCode(results: readonly TargetResult[]): number {
  return worstResult(results)?.resultCode ?? 0;
}

/** A target whose adapter could not even be built: connect() fails with that error, so it is reported. */
function failingTarget(server: string, err: unknown): TargetAccess {
  const fail = async (): Promise<never> => {
    throw err;
  };
  return {
    server,
    connect: fail,
    writeFile: fail,
    readFile: fail,
    removeFile: fail,
    createTask: fail,
    runTask: fail,
    queryTask: fail,
    endTask: fail,
    deleteTask: fail,
    openPipe: fail,
    clientStatus: fail,
    probe: async () => ({ ping: false, transport: false }),
    close: async () => {},
  };
}
