// The client run's WUA operations: accept license terms, download, install, each reporting
// progress and a result per update; a whole-call failure fails every update of the call.
import { hresultName } from '../model/hresult.ts';
import type { UpdateInfo } from '../model/update.ts';
import { withHeartbeat } from './heartbeat.ts';
import { waitForInstaller } from './installer-wait.ts';
import { AgentError, type AgentProgress, type OperationResult } from './ports.ts';
import { defer, rebootBeforeInstall, refusedForReboot, WU_E_INSTALL_NOT_ALLOWED } from './run-deferral.ts';
import { kbOf, label, type RunState, SUCCEEDED } from './run-state.ts';

/** Why: updates whose license terms cannot be accepted fail here, before any download. */
export async function acceptEulas(st: RunState, candidates: UpdateInfo[]): Promise<UpdateInfo[]> {
  const out: UpdateInfo[] = [];
  for (const u of candidates) {
    if (u.eulaAccepted) {
      out.push(u);
      continue;
    }
    try {
      await st.call(st.deps.agent.acceptEula(u.id));
      st.log.emit('info', 'eula.accepted', `accepted the license terms of ${label(u)}`, {
        id: u.id,
        kb: kbOf(u),
        title: u.title,
      });
      out.push(u);
    } catch (err) {
      if (!(err instanceof AgentError)) throw err;
      st.fail(u, err.hresult, `license terms could not be accepted: ${err.message}`);
      st.log.emit('error', 'eula.failed', `could not accept the license terms of ${label(u)}`, {
        id: u.id,
        hresult: err.hresult,
        hresultName: hresultName(err.hresult),
      });
    }
  }
  return out;
}

/** Why: what is not yet on disk is downloaded in one call; returns what is ready to install. */
export async function download(st: RunState, candidates: UpdateInfo[]): Promise<UpdateInfo[]> {
  const need = candidates.filter((u) => !u.downloaded);
  const ready = candidates.filter((u) => u.downloaded);
  if (need.length === 0) return ready;
  st.log.emit('info', 'download.start', `downloading ${need.length} update(s)`, {
    ids: need.map((u) => u.id),
    kbs: need.map(kbOf),
  });
  const result = await operation(st, 'download', need);
  if (result === null || result === 'refused') return ready;
  eachResult(st, 'download', need, result, (u, r) => {
    st.setOutcome(u, 'downloaded');
    st.log.emit('info', 'download.result', `downloaded ${label(u)}`, {
      id: u.id,
      kb: kbOf(u),
      resultCode: r.resultCode,
    });
    ready.push(u);
  });
  return candidates.filter((u) => ready.includes(u));
}

/** What one install call did: how many installed, a reboot needed, and whether WUA refused the rest. */
export interface InstallOutcome {
  installed: number;
  reboot: boolean;
  /** RebootRequiredBeforeInstallation: no further install can run in this boot. */
  blocked: boolean;
}

/** Why: one install call (an exclusive update alone); updates WUA refuses until a reboot are deferred. */
export async function install(
  st: RunState,
  batch: UpdateInfo[],
  exclusive: boolean,
): Promise<InstallOutcome> {
  if (await rebootBeforeInstall(st)) {
    defer(st, batch);
    return { installed: 0, reboot: true, blocked: true };
  }
  st.log.emit(
    'info',
    'install.start',
    `installing ${batch.map(label).join(', ')}${exclusive ? ' (exclusive)' : ''}`,
    {
      ids: batch.map((u) => u.id),
      kbs: batch.map(kbOf),
      exclusive,
    },
  );
  await st.call(waitForInstaller(st.deps.agent, st.log, st.deps.signal, st.deps.installerWait));
  const call = await operation(st, 'install', batch);
  if (call === 'refused') {
    defer(st, batch);
    return { installed: 0, reboot: true, blocked: true };
  }
  if (call === null) return { installed: 0, reboot: false, blocked: false };
  const refused = await refusedForReboot(st, batch, call);
  defer(
    st,
    batch.filter((u) => refused.has(u.id)),
  );
  const tried = batch.filter((u) => !refused.has(u.id));
  const triedResult = { ...call, updates: call.updates.filter((r) => !refused.has(r.id)) };
  let installed = 0;
  let reboot = call.rebootRequired || refused.size > 0;
  eachResult(st, 'install', tried, triedResult, (u, r) => {
    installed++;
    reboot ||= r.rebootRequired ?? false;
    installedOne(st, u, r);
  });
  return { installed, reboot, blocked: refused.size > 0 || call.rebootRequiredBeforeInstallation === true };
}

/** Why: one installed update's outcome and log line. */
function installedOne(st: RunState, u: UpdateInfo, r: UpdateResult): void {
  st.installed.add(u.id);
  const needsReboot = r.rebootRequired ?? false;
  st.setOutcome(u, 'installed', {
    hresult: r.hresult >>> 0,
    hresultName: hresultName(r.hresult),
    rebootRequired: needsReboot,
    cycle: st.deps.job.cycle,
  });
  st.log.emit('info', 'install.result', `installed ${label(u)}${needsReboot ? ' (reboot required)' : ''}`, {
    id: u.id,
    kb: kbOf(u),
    resultCode: r.resultCode,
    hresult: r.hresult >>> 0,
    hresultName: hresultName(r.hresult),
    rebootRequired: needsReboot,
  });
}

/**
 * Why: runs a download or install call with progress; a whole-call AgentError fails every update
 * in it, except an install WUA refuses until a reboot ('refused').
 */
async function operation(
  st: RunState,
  phase: 'download' | 'install',
  batch: UpdateInfo[],
): Promise<OperationResult | null | 'refused'> {
  const ids = batch.map((u) => u.id);
  const lastStep = new Map<string, number>();
  let latest: number | null = null;
  const onProgress = (p: AgentProgress) => {
    if (st.deps.signal.aborted) return;
    // Overall percentage of the call: the updates before this one are done.
    latest = ((p.index + p.percent / 100) / Math.max(1, batch.length)) * 100;
    const step = p.percent >= 100 ? 10 : Math.floor(p.percent / 10);
    if (lastStep.get(p.id) === step) return;
    lastStep.set(p.id, step);
    const u = batch[p.index] ?? batch.find((x) => x.id === p.id);
    st.log.emit('info', `${phase}.progress`, `${phase} ${u ? label(u) : p.id}: ${Math.round(p.percent)}%`, {
      id: p.id,
      index: p.index,
      percent: p.percent,
    });
  };
  try {
    const agent = st.deps.agent;
    const call = phase === 'download' ? agent.download(ids, onProgress) : agent.install(ids, onProgress);
    return await st.call(
      withHeartbeat(call, {
        log: st.log,
        phase,
        what: batch.map(label).join(', '),
        intervalMs: st.deps.heartbeatMs,
        percent: () => latest,
        signal: st.deps.signal,
      }),
    );
  } catch (err) {
    if (!(err instanceof AgentError)) throw err;
    const refused = phase === 'install' && err.hresult === WU_E_INSTALL_NOT_ALLOWED;
    if (refused && (await rebootBeforeInstall(st))) return 'refused';
    for (const u of batch) st.fail(u, err.hresult, `${phase} call failed: ${err.message}`);
    st.log.emit(
      'error',
      `${phase}.failed`,
      `${phase} of ${batch.map(label).join(', ')} failed: ${hresultName(err.hresult)}`,
      {
        ids,
        hresult: err.hresult,
        hresultName: hresultName(err.hresult),
        message: err.message,
      },
    );
    return null;
  }
}

type UpdateResult = OperationResult['updates'][number];

/**
 * Why: the one result handler of download and install: each update's own result (by position,
 * else by id); a success goes to the phase's handler, anything else fails the update with the
 * HRESULT of its own result or, lacking one, the call's.
 */
function eachResult(
  st: RunState,
  phase: 'download' | 'install',
  batch: UpdateInfo[],
  result: OperationResult,
  onSuccess: (u: UpdateInfo, r: UpdateResult) => void,
): void {
  batch.forEach((u, i) => {
    const r = result.updates[i] ?? result.updates.find((x) => x.id === u.id);
    if (r && SUCCEEDED.has(r.resultCode)) {
      onSuccess(u, r);
      return;
    }
    const hresult = r?.hresult || result.hresult;
    st.fail(u, hresult, `${phase} ${r?.resultCode ?? 'gave no result'}`);
    st.log.emit('error', `${phase}.result`, `${phase} of ${label(u)} failed: ${hresultName(hresult)}`, {
      id: u.id,
      kb: kbOf(u),
      resultCode: r?.resultCode ?? null,
      hresult: hresult >>> 0,
      hresultName: hresultName(hresult),
    });
  });
}
