// Staging one cycle (docs/architecture.md#the-cycle step 1): the job file with its one-time token and the
// task XML go into the cycle's admin-only folder; the token never appears on a command line or in output.

import type { TaskDefinition } from '../model/task-definition.ts';
import { type Job, jobSchema } from '../protocol/job.ts';
import { cyclePaths, pipeName, TASK_NAME } from './paths.ts';
import type { TargetAccess } from './ports.ts';
import type { TargetRunOptions } from './run-options.ts';

export interface StagedCycle {
  job: Job;
  paths: ReturnType<typeof cyclePaths>;
  task: TaskDefinition;
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
  });
}

/** Why: the cycle's task; its trigger carries an explicit UTC offset (docs/windows-facts.md). */
export function cycleTask(opts: TargetRunOptions, job: Job, startBoundary: Date): TaskDefinition {
  const paths = cyclePaths(job.runId, job.cycle);
  return {
    xmlPath: paths.taskXml,
    description: `wsus-connector run ${job.runId} cycle ${job.cycle} (${job.mode})`,
    command: opts.clientPath,
    arguments: `run --job "${paths.job}"`,
    workingDirectory: paths.dir,
    startBoundary,
    // The trigger is only good for this cycle's start window; Windows then removes a task left behind.
    endBoundary: new Date(startBoundary.getTime() + opts.startTimeoutMs + 5 * 60_000),
    executionTimeLimit: opts.executionTimeLimit,
    uri: TASK_NAME,
  };
}

/** Why: writes job.json; nothing is registered yet, so a failure here leaves no task. */
export async function stageCycle(
  target: TargetAccess,
  opts: TargetRunOptions,
  job: Job,
  nowMs: number,
): Promise<StagedCycle> {
  const paths = cyclePaths(job.runId, job.cycle);
  const startBoundary = new Date(Math.floor((nowMs + opts.startDelayMs) / 1000) * 1000);
  await target.writeFile(paths.job, `${JSON.stringify(job, null, 2)}\n`);
  return { job, paths, task: cycleTask(opts, job, startBoundary) };
}

/** Why: the job's token and pipe, read back by a resumed connector (null when already cleaned up). */
export async function readStagedJob(target: TargetAccess, runId: string, cycle: number): Promise<Job | null> {
  const buf = await target.readFile(cyclePaths(runId, cycle).job);
  if (!buf) return null;
  const parsed = jobSchema.safeParse(JSON.parse(buf.toString('utf8')));
  return parsed.success ? parsed.data : null;
}
