// --log-dir: where each server's full job output goes, one file per server. Given: that folder.
// Not given, with several servers: beside the JSON report (night.json → night-logs/), else a temp
// folder made at the start and named in the header. One server alone: its job output is the log.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { RunPlan } from '../connector/run-plan.ts';
import { InputError } from '../model/input-error.ts';

/** Why: the one place --log-dir is decided, so output-path checks can take it in as a whole. */
export function resolveLogDir(
  raw: { logDir?: string | undefined; report?: string | undefined },
  cwd: string,
  serverCount: number,
): RunPlan['logDir'] {
  if (raw.logDir !== undefined) {
    const path = resolve(cwd, raw.logDir);
    if (existsSync(path) && !statSync(path).isDirectory())
      throw new InputError(`--log-dir ${raw.logDir}: exists and is not a folder`, '--log-dir');
    return { path };
  }
  if (serverCount < 2) return undefined;
  if (raw.report === undefined) return { temp: true };
  const report = resolve(cwd, raw.report);
  return { path: join(dirname(report), `${basename(report, extname(report))}-logs`) };
}
