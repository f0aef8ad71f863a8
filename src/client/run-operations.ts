// The client run's WUA operations: accept license terms, download, install, each reporting
// progress and a result per update; a whole-call failure fails every update of the call.
import { hresultName } from '../model/hresult.ts';
import type { UpdateInfo } from '../model/update.ts';
import { AgentError, type AgentProgress, type OperationResult } from './ports.ts';
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
  if (result === null) return ready;
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

/** Why: one install call (an exclusive update alone); returns how many installed and whether a reboot is needed. */
export async function install(
  st: RunState,
  batch: UpdateInfo[],
  exclusive: boolean,
): Promise<{ installed: number; reboot: boolean }> {
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
  const result = await operation(st, 'install', batch);
  if (result === null) return { installed: 0, reboot: false };
  let installed = 0;
  let reboot = result.rebootRequired;
  eachResult(st, 'install', batch, result, (u, r) => {
    installed++;
    st.installed.add(u.id);
    const needsReboot = r.rebootRequired ?? false;
    reboot ||= needsReboot;
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
  });
  return { installed, reboot };
}

/** Why: runs a download or install call with progress; a whole-call AgentError fails every update in it. */
async function operation(
  st: RunState,
  phase: 'download' | 'install',
  batch: UpdateInfo[],
): Promise<OperationResult | null> {
  const ids = batch.map((u) => u.id);
  const lastStep = new Map<string, number>();
  const onProgress = (p: AgentProgress) => {
    if (st.deps.signal.aborted) return;
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
    return await st.call(
      phase === 'download' ? agent.download(ids, onProgress) : agent.install(ids, onProgress),
    );
  } catch (err) {
    if (!(err instanceof AgentError)) throw err;
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
