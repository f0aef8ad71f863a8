// Staging one cycle (docs/architecture.md#the-cycle step 1): the job file with its one-time token and the
// task XML go into the cycle's admin-only folder; the token never appears on a command line or in output.

import type { TaskDefinition } from '../../model/task-definition.ts';
import { type Job, jobSchema } from '../../protocol/job.ts';
import { cyclePaths, pipeName, TASK_NAME } from '../paths.ts';
import type { ClientStatus, TargetAccess } from '../ports.ts';
import type { TargetRunOptions } from '../run-options.ts';
import { clientLifetimeMs, clientTimeoutMs, xsSeconds } from './client-deadline.ts';
import type { CycleRecord } from './record.ts';

export interface StagedCycle {
  job: Job;
  paths: ReturnType<typeof cyclePaths>;
  /** Its StartBoundary is on the target's clock. */
  task: TaskDefinition;
  /** The same start on the controller's clock, for the start timeout. */
  startAtMs: number;
}

/** Why: target clock minus controller clock, from `wsus-client status` (0 when it does not say). */
export function targetClockOffsetMs(
  status: Pick<ClientStatus, 'now'> | null,
  controllerNowMs: number,
): number {
  const t = status?.now ? Date.parse(status.now) : Number.NaN;
  return Number.isNaN(t) ? 0 : t - controllerNowMs;
}

/** Why: --self-heal happens once per run: not again after a cycle that reset the store. */
export function selfHealOnce(opts: TargetRunOptions, history: readonly CycleRecord[]): TargetRunOptions {
  if (!opts.selfHeal) return opts;
  const healed = history.some((c) => c.events.some((e) => e.kind === 'selfheal.reset'));
  return healed ? { ...opts, selfHeal: false } : opts;
}

/** Why: the job the client runs for this cycle, validated by the client's own schema. */
export function buildJob(opts: TargetRunOptions, runId: string, cycle: number, token: string): Job {
  return jobSchema.parse({
    runId,
    cycle,
    mode: opts.mode,
    selection: opts.selection,
    source: opts.source,
    pipe: pipeName(runId, cycle),
    token,
    restart: opts.restart,
    ackTimeoutSeconds: opts.ackTimeoutSeconds,
    ...(opts.prechecks ? { prechecks: opts.prechecks } : {}),
    ...(opts.selfHeal ? { selfHeal: true } : {}),
    ...(opts.uninstall?.length ? { uninstall: opts.uninstall } : {}),
    ...(opts.hide?.length ? { hide: opts.hide } : {}),
    ...(opts.unhide?.length ? { unhide: opts.unhide } : {}),
    clientTimeoutSeconds: Math.ceil(clientTimeoutMs(opts) / 1000),
  });
}

/**
 * Why: the cycle's task; its trigger carries an explicit UTC offset and is on the target's clock.
 * Its EndBoundary lies past the start window plus the client's whole lifetime (its own deadline,
 * the ack wait, a wind-down), so the expiry and DeleteExpiredTaskAfter can never delete the task
 * (the per-host lock) while its client runs; the /Run start bypasses ExecutionTimeLimit.
 */
export function cycleTask(opts: TargetRunOptions, job: Job, startBoundary: Date): TaskDefinition {
  const paths = cyclePaths(job.runId, job.cycle);
  const lifetimeMs = clientLifetimeMs(opts);
  const endBoundary = new Date(startBoundary.getTime() + opts.startTimeoutMs + lifetimeMs + 5 * 60_000);
  return {
    xmlPath: paths.taskXml,
    description: `wsus-connector run ${job.runId} cycle ${job.cycle} (${job.mode})`,
    command: opts.clientPath,
    arguments: `run --job "${paths.job}"`,
    workingDirectory: paths.dir,
    startBoundary,
    // A task left behind by a lost connector still removes itself, an hour after that.
    endBoundary,
    executionTimeLimit: xsSeconds(lifetimeMs),
    uri: TASK_NAME,
  };
}

/** Why: writes job.json; nothing is registered yet, so a failure here leaves no task. */
export async function stageCycle(
  target: TargetAccess,
  opts: TargetRunOptions,
  job: Job,
  nowMs: number,
  targetOffsetMs = 0,
): Promise<StagedCycle> {
  const paths = cyclePaths(job.runId, job.cycle);
  const startBoundary = new Date(Math.floor((nowMs + targetOffsetMs + opts.startDelayMs) / 1000) * 1000);
  await target.writeFile(paths.job, `${JSON.stringify(job, null, 2)}\n`);
  const startAtMs = startBoundary.getTime() - targetOffsetMs;
  return { job, paths, task: cycleTask(opts, job, startBoundary), startAtMs };
}

/**
 * Why: the job's token and pipe, read back by a resumed connector: null when already cleaned up,
 * 'damaged' when the connector died while writing it (never parsed blindly).
 */
export async function readStagedJob(
  target: TargetAccess,
  runId: string,
  cycle: number,
): Promise<Job | 'damaged' | null> {
  const buf = await target.readFile(cyclePaths(runId, cycle).job);
  if (!buf) return null;
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch {
    return 'damaged';
  }
  const parsed = jobSchema.safeParse(json);
  return parsed.success && parsed.data.runId === runId && parsed.data.cycle === cycle
    ? parsed.data
    : 'damaged';
}
