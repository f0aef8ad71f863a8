// Where things live on a target (docs/target-commands.md). One module so the connector, the
// resume logic and the docs cannot disagree about a path.

export const TASK_NAME = '\\WsusConnector\\Patch';
export const PROGRAM_DATA_DIR = 'C:\\ProgramData\\wsus-connector';
export const LOCK_PATH = `${PROGRAM_DATA_DIR}\\lock.json`;
export const STAGED_CLIENT_PATH = `${PROGRAM_DATA_DIR}\\bin\\wsus-client.exe`;

/** Why: the per-cycle admin-only folder holding job.json, task.xml and the kept log.jsonl. */
export function runDir(runId: string, cycle: number): string {
  return `${PROGRAM_DATA_DIR}\\runs\\${runId}-c${cycle}`;
}

/** Why: the files of one cycle, derived from its folder. */
export function cyclePaths(runId: string, cycle: number) {
  const dir = runDir(runId, cycle);
  return { dir, job: `${dir}\\job.json`, log: `${dir}\\log.jsonl`, taskXml: `${dir}\\task.xml` };
}

/** Why: a pipe name unique per run and cycle, within the job schema's character set. */
export function pipeName(runId: string, cycle: number): string {
  return `wsus-connector-${runId}-c${cycle}`;
}
