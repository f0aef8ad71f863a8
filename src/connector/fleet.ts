// Several servers in one run (issue 5 §5): at most `parallel` targets at a time, results in the
// order the servers were given, and the exit code of the worst outcome.
import { setMaxListeners } from 'node:events';
import { worstOutcome } from '../model/result-codes.ts';
import type { ConnectorSink } from './events.ts';
import { runTarget, type TargetRunDeps } from './orchestrator.ts';
import type { Clock, TargetAccess } from './ports.ts';
import type { TargetRunOptions } from './run-options.ts';
import type { TargetResult } from './target-result.ts';

export interface FleetRunDeps {
  servers: string[];
  parallel: number;
  makeTarget: (server: string) => Promise<TargetAccess> | TargetAccess;
  options: (server: string) => TargetRunOptions;
  clock: Clock;
  sink: ConnectorSink;
  signal?: AbortSignal | undefined;
  header?: ((server: string) => [string, string][]) | undefined;
  holderAlive?: TargetRunDeps['holderAlive'];
  newRunId?: TargetRunDeps['newRunId'];
}

/** Why: runs every server through the state machine with bounded parallelism; never rejects. */
export async function runFleet(deps: FleetRunDeps): Promise<TargetResult[]> {
  // Every server waits on this one signal (polls, lease renewals): a listener each is expected.
  if (deps.signal) setMaxListeners(Math.max(10, 4 * deps.parallel), deps.signal);
  const results: TargetResult[] = new Array(deps.servers.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= deps.servers.length) return;
      const server = deps.servers[i]!;
      let target: TargetAccess;
      try {
        target = await deps.makeTarget(server);
      } catch (err) {
        target = failingTarget(server, err);
      }
      results[i] = await runTarget({
        target,
        clock: deps.clock,
        options: deps.options(server),
        sink: deps.sink,
        signal: deps.signal,
        header: deps.header?.(server),
        holderAlive: deps.holderAlive,
        newRunId: deps.newRunId,
      });
    }
  };
  const n = Math.max(1, Math.min(deps.parallel, deps.servers.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

/** Why: the one number a multi-server run exits with. */
export function fleetExitCode(results: readonly TargetResult[]): number {
  const worst = worstOutcome(results.map((r) => ({ ...r.outcome, r })));
  return worst?.r.exitCode ?? 0;
}

/** Why: the result code printed on the last line of a multi-server run (the worst server's). */
export function fleetResultCode(results: readonly TargetResult[]): number {
  const worst = worstOutcome(results.map((r) => ({ ...r.outcome, r })));
  return worst?.r.resultCode ?? 0;
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
