// One client run, pure over UpdateAgent + SystemPort + an event sink: search → select → (check:
// report) → accept EULAs → download → install (non-exclusive batch, then each exclusive update
// alone) → re-search while a pass installed something without needing a reboot. Never installs
// over a pending reboot or while CBS is still servicing; stops a pass when WUA refuses further
// installs until a reboot (run-deferral.ts).
import type { UpdateInfo, UpdateStatus } from '../model/update.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { deadlineMessage } from './client-deadline.ts';
import { applyHidden, uninstallPass } from './maintenance.ts';
import { AgentError } from './ports.ts';
import { prechecksPass } from './prechecks.ts';
import { type RebootState, readAgentReboot, readRebootState, rebootRequiredOf } from './reboot-state.ts';
import { defer } from './run-deferral.ts';
import { acceptEulas, install } from './run-operations.ts';
import { searchAndSelect } from './run-search.ts';
import { errorText, kbOf, label, type RunDeps, RunState } from './run-state.ts';
import { downloadWithSelfHeal } from './self-heal.ts';

export type { RunDeps, RunJob } from './run-state.ts';

interface RunStart {
  bootTime: string;
  rebootPendingAtStart: boolean;
  installBlocked: boolean;
}

/** Why: the whole client run as one pure function over its ports; main.ts adds pipe, file and exit. */
export async function runUpdates(deps: RunDeps): Promise<RunSummary> {
  const st = new RunState(deps);
  const start = await startRun(st);
  try {
    // After the pending-reboot check: a pending reboot is handled first (docs/usage.md#prechecks).
    const mayChange = start.installBlocked || deps.job.mode === 'check' || (await prechecksPass(st));
    if (mayChange) await workOn(st, start.installBlocked);
    if (deps.job.mode === 'install' && !start.installBlocked && st.installed.size > 0 && !st.rebootRequired) {
      st.rebootRequired = await rebootAfterInstalls(st);
    }
  } catch (err) {
    runFailed(st, err);
  }
  reportUnmatched(st);
  return finishRun(st, start);
}

/** Why: a run stopped by its deadline reports client-timeout; a host abort rethrows; else client-error. */
function runFailed(st: RunState, err: unknown): void {
  const { deadline, signal } = st.deps;
  if (deadline?.signal.aborted) {
    const text = deadlineMessage(deadline.seconds);
    st.setError('client-timeout', text);
    st.log.emit('error', 'client.timeout', text, { seconds: deadline.seconds ?? null });
    return;
  }
  if (signal.aborted) throw err;
  const hresult = err instanceof AgentError ? err.hresult : undefined;
  st.setError('client-error', `the run failed: ${errorText(err)}`, hresult);
  st.log.emit('error', 'run.error', `the run failed: ${errorText(err)}`);
}

/** Why: boot time and reboot state read once, run.start emitted, and whether installs may run. */
async function startRun(st: RunState): Promise<RunStart> {
  const { job, system, agent } = st.deps;
  const bootTime = await st.call(system.bootTime());
  const reboot = await st.call(readRebootState(system, agent, job.restart));
  for (const w of reboot.warnings) st.log.emit('warn', 'reboot.file-renames', w);
  if (reboot.agentUnknown !== null) noteRebootUnknown(st, reboot.agentUnknown);
  st.log.emit('info', 'run.start', `run ${job.runId} cycle ${job.cycle} (${job.mode}) started`, {
    runId: job.runId,
    cycle: job.cycle,
    mode: job.mode,
    bootTime,
    rebootPending: reboot.pending,
  });
  const installBlocked = await installGate(st, reboot);
  return { bootTime, rebootPendingAtStart: reboot.pending, installBlocked };
}

/** Why: a failed RebootRequired read is reported; with --restart it counts as pending, else as not. */
function noteRebootUnknown(st: RunState, reason: string): void {
  const treated = st.deps.job.restart ? 'treated as pending (--restart)' : 'not treated as pending';
  const text = `Windows Update's RebootRequired could not be read (${reason}): unknown, ${treated}`;
  if (st.warnings.includes(text)) return;
  st.warnings.push(text);
  st.log.emit('warn', 'reboot.unknown', text, { reason });
}

/** Why: a pending reboot or CBS still servicing blocks installs; a pending reboot is reported in every mode. */
async function installGate(st: RunState, reboot: RebootState): Promise<boolean> {
  const { job, system } = st.deps;
  const details = { system: reboot.system, agent: reboot.agent };
  if (reboot.pending) {
    st.rebootRequired = true;
    const install = job.mode === 'install';
    const text = install
      ? 'a reboot is pending: nothing will be installed in this run'
      : 'a reboot is pending';
    st.log.emit('warn', 'reboot.pending', text, details);
    return install;
  }
  if (job.mode !== 'install' || !(await st.call(system.servicingInProgress()))) return false;
  st.setError('servicing-in-progress', 'servicing (CBS) is still in progress: nothing was installed');
  st.log.emit(
    'error',
    'servicing.in-progress',
    'servicing (CBS) still in progress: nothing will be installed',
  );
  return true;
}

/** Why: after installs that reported no reboot, WUA's own answer decides; unknown is reported. */
async function rebootAfterInstalls(st: RunState): Promise<boolean> {
  const read = await st.call(readAgentReboot(st.deps.agent));
  if (!read.known) noteRebootUnknown(st, read.reason);
  return rebootRequiredOf(read, st.deps.job.restart);
}

/** Why: include-list entries no search matched are warnings of the run. */
function reportUnmatched(st: RunState): void {
  for (const entry of st.unmatched ?? []) {
    const text = `include-list entry ${entry} matched no update that is needed`;
    st.warnings.push(text);
    st.log.emit('warn', 'include.unmatched', text, { entry });
  }
}

/** Why: run.done and the summary the connector reads. */
function finishRun(st: RunState, start: RunStart): RunSummary {
  const { job } = st.deps;
  const updates = [...st.outcomes.values()];
  const willReboot = st.rebootRequired && job.restart;
  const count = (s: UpdateStatus) => updates.filter((u) => u.status === s).length;
  st.log.emit('info', 'run.done', 'run finished', {
    installed: count('installed'),
    failed: count('failed'),
    available: count('available'),
    downloaded: count('downloaded'),
    filtered: count('filtered'),
    rebootRequired: st.rebootRequired,
    willReboot,
  });
  return {
    runId: job.runId,
    cycle: job.cycle,
    mode: job.mode,
    bootTime: start.bootTime,
    rebootPendingAtStart: start.rebootPendingAtStart,
    rebootRequired: st.rebootRequired,
    willReboot,
    updates,
    warnings: st.warnings,
    ...(st.error ? { error: st.error } : {}),
  };
}

/** Why: hide/unhide, then the uninstall pass or the install passes (docs/usage.md#uninstall-and-hide). */
async function workOn(st: RunState, installBlocked: boolean): Promise<void> {
  const { job } = st.deps;
  const uninstalling = (job.uninstall?.length ?? 0) > 0;
  if (installBlocked && uninstalling) return;
  if (!installBlocked && job.mode !== 'check' && !(await applyHidden(st))) return;
  if (uninstalling) return uninstallPass(st);
  return passes(st, installBlocked);
}

/** Why: search passes until nothing is left, a reboot is needed, or the pass limit is hit. */
async function passes(st: RunState, installBlocked: boolean): Promise<void> {
  const { job } = st.deps;
  const maxPasses = st.deps.maxPasses ?? 10;
  for (let pass = 1; ; pass++) {
    if (pass > maxPasses) {
      const text = `stopped after ${maxPasses} search passes; updates keep being offered`;
      st.warnings.push(text);
      st.log.emit('warn', 'passes.exhausted', text);
      return;
    }
    const candidates = await searchAndSelect(st, pass);
    if (candidates === null || candidates.length === 0) return;
    if (job.mode === 'check' || (job.mode === 'install' && installBlocked)) return;
    const ready = await downloadWithSelfHeal(st, await acceptEulas(st, candidates));
    if (job.mode === 'download') return;
    if (!(await installPass(st, pass, ready))) return;
  }
}

/**
 * Why: one install pass (the batch, then each exclusive update alone); returns whether to search
 * again: something installed and no reboot is needed yet.
 */
async function installPass(st: RunState, pass: number, ready: UpdateInfo[]): Promise<boolean> {
  warnUserInput(st, ready);
  const normal = ready.filter((u) => u.impact !== 'exclusive');
  const calls = [
    ...(normal.length > 0 ? [normal] : []),
    ...ready.filter((u) => u.impact === 'exclusive').map((u) => [u]),
  ];
  let installed = 0;
  let reboot = false;
  for (const [i, batch] of calls.entries()) {
    const r = await install(st, batch, batch[0]?.impact === 'exclusive');
    installed += r.installed;
    reboot ||= r.reboot;
    if (r.blocked) {
      defer(st, calls.slice(i + 1).flat());
      break;
    }
  }
  st.log.emit('info', 'pass.done', `pass ${pass}: ${installed} installed`, {
    pass,
    installed,
    rebootRequired: reboot,
  });
  if (!reboot && installed > 0) reboot = await rebootAfterInstalls(st);
  if (reboot) st.rebootRequired = true;
  return !reboot && installed > 0;
}

/** Why: an update that can ask for user input may hang a SYSTEM task: ForceQuiet cannot silence it. */
function warnUserInput(st: RunState, ready: UpdateInfo[]): void {
  for (const u of ready) {
    if (!u.canRequestUserInput || st.warnings.some((w) => w.startsWith(`${label(u)} can request user input`)))
      continue;
    const text = `${label(u)} can request user input (CanRequestUserInput), which ForceQuiet cannot silence; it may wait for input until the client's deadline`;
    st.warnings.push(text);
    st.log.emit('warn', 'update.user-input', text, { id: u.id, kb: kbOf(u) });
  }
}
