// The prechecks of one client run (docs/usage.md#prechecks): before anything changes on the
// server, enough free space on the system drive and none of the named processes running. A
// failed precheck is the run's error (kind "precheck"): the server is left as it was.
import type { Prechecks } from '../protocol/job.ts';
import type { SystemPort } from './ports.ts';
import type { RunState } from './run-state.ts';

/** Why: "sqlservr" and "SQLServr.exe" name the same image, as an operator would expect. */
function imageKey(name: string): string {
  return name.toLowerCase().replace(/\.exe$/, '');
}

/** Why: the first precheck that fails, as the sentence the operator reads; null when all pass. */
export async function failedPrecheck(system: SystemPort, checks: Prechecks): Promise<string | null> {
  if (checks.minFreeDiskMB !== undefined) {
    if (!system.freeDiskMB) return 'free disk space cannot be read on this host';
    const free = await system.freeDiskMB();
    if (free < checks.minFreeDiskMB) {
      return `the system drive has ${free} MB free; --min-free-disk asks for ${checks.minFreeDiskMB} MB`;
    }
  }
  if (checks.skipIfProcess.length > 0) {
    if (!system.processNames) return 'the running processes cannot be listed on this host';
    const running = new Set((await system.processNames()).map(imageKey));
    const found = checks.skipIfProcess.filter((n) => running.has(imageKey(n)));
    if (found.length > 0)
      return `${found.join(', ')} ${found.length > 1 ? 'are' : 'is'} running (--skip-if-process)`;
  }
  return null;
}

/** Why: runs the job's prechecks and records a failure; true when the run may change the server. */
export async function prechecksPass(st: RunState): Promise<boolean> {
  const checks = st.deps.job.prechecks;
  if (!checks || (checks.minFreeDiskMB === undefined && checks.skipIfProcess.length === 0)) return true;
  const failed = await st.call(failedPrecheck(st.deps.system, checks));
  if (failed === null) {
    st.log.emit('info', 'precheck.passed', 'prechecks passed', { ...checks });
    return true;
  }
  st.setError('precheck', `precheck failed: ${failed}; nothing was changed`);
  st.log.emit('error', 'precheck.failed', `precheck failed: ${failed}; nothing will be changed`, {
    ...checks,
  });
  return false;
}
