// One client run, pure over UpdateAgent + SystemPort + an event sink: search → select → (check:
// report) → accept EULAs → download → install (non-exclusive batch, then each exclusive update
// alone) → re-search while a pass installed something without needing a reboot. Never installs
// over a pending reboot or while CBS is still servicing.
import type { UpdateStatus } from '../model/update.ts';
import type { RunSummary } from '../protocol/messages.ts';
import { applyHidden, uninstallPass } from './maintenance.ts';
import { AgentError } from './ports.ts';
import { prechecksPass } from './prechecks.ts';
import { readRebootState } from './reboot-state.ts';
import { acceptEulas, install } from './run-operations.ts';
import { searchAndSelect } from './run-search.ts';
import { errorText, type RunDeps, RunState } from './run-state.ts';
import { downloadWithSelfHeal } from './self-heal.ts';

export type { RunDeps, RunJob } from './run-state.ts';

/** Why: the whole client run as one pure function over its ports; main.ts adds pipe, file and exit. */
export async function runUpdates(deps: RunDeps): Promise<RunSummary> {
  const st = new RunState(deps);
  const { job, system, agent } = deps;
  const bootTime = await st.call(system.bootTime());
  const reboot = await st.call(readRebootState(system, agent));
  const rebootPendingAtStart = reboot.pending;
  const pendingAgent = reboot.agent;
  const pendingSystem = reboot.system;
  for (const w of reboot.warnings) st.log.emit('warn', 'reboot.file-renames', w);
  st.log.emit('info', 'run.start', `run ${job.runId} cycle ${job.cycle} (${job.mode}) started`, {
    runId: job.runId,
    cycle: job.cycle,
    mode: job.mode,
    bootTime,
    rebootPending: rebootPendingAtStart,
  });

  let installBlocked = false;
  if (job.mode === 'install') {
    if (rebootPendingAtStart) {
      installBlocked = true;
      st.rebootRequired = true;
      st.log.emit('warn', 'reboot.pending', 'a reboot is pending: nothing will be installed in this run', {
        system: pendingSystem,
        agent: pendingAgent,
      });
    } else if (await st.call(system.servicingInProgress())) {
      installBlocked = true;
      st.setError('servicing-in-progress', 'servicing (CBS) is still in progress: nothing was installed');
      st.log.emit(
        'error',
        'servicing.in-progress',
        'servicing (CBS) still in progress: nothing will be installed',
      );
    }
  } else if (rebootPendingAtStart) {
    st.rebootRequired = true;
    st.log.emit('warn', 'reboot.pending', 'a reboot is pending', {
      system: pendingSystem,
      agent: pendingAgent,
    });
  }

  try {
    // After the pending-reboot check: a pending reboot is handled first (docs/usage.md#prechecks).
    const mayChange = installBlocked || job.mode === 'check' || (await prechecksPass(st));
    if (mayChange) await workOn(st, installBlocked);
    if (job.mode === 'install' && !installBlocked && st.installed.size > 0 && !st.rebootRequired) {
      st.rebootRequired = await st.call(agent.rebootRequired().catch(() => false));
    }
  } catch (err) {
    if (deps.signal.aborted) throw err;
    st.setError(
      'client-error',
      `the run failed: ${errorText(err)}`,
      err instanceof AgentError ? err.hresult : undefined,
    );
    st.log.emit('error', 'run.error', `the run failed: ${errorText(err)}`);
  }

  for (const entry of st.unmatched ?? []) {
    const text = `include-list entry ${entry} matched no update that is needed`;
    st.warnings.push(text);
    st.log.emit('warn', 'include.unmatched', text, { entry });
  }

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
    bootTime,
    rebootPendingAtStart,
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

    const accepted = await acceptEulas(st, candidates);
    const ready = await downloadWithSelfHeal(st, accepted);
    if (job.mode === 'download') return;

    let installedThisPass = 0;
    let rebootThisPass = false;
    const normal = ready.filter((u) => u.impact !== 'exclusive');
    const exclusive = ready.filter((u) => u.impact === 'exclusive');
    if (normal.length > 0) {
      const r = await install(st, normal, false);
      installedThisPass += r.installed;
      rebootThisPass ||= r.reboot;
    }
    for (const u of exclusive) {
      const r = await install(st, [u], true);
      installedThisPass += r.installed;
      rebootThisPass ||= r.reboot;
    }
    st.log.emit('info', 'pass.done', `pass ${pass}: ${installedThisPass} installed`, {
      pass,
      installed: installedThisPass,
      rebootRequired: rebootThisPass,
    });
    if (rebootThisPass) {
      st.rebootRequired = true;
      return;
    }
    if (installedThisPass === 0) return;
    if (await st.call(st.deps.agent.rebootRequired().catch(() => false))) {
      st.rebootRequired = true;
      return;
    }
  }
}
