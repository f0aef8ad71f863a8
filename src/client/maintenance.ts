// Uninstall, hide and unhide in the client run (docs/usage.md#uninstall-and-hide): hiding before
// the search keeps a bad KB off the server (the search says IsHidden=0); an uninstall run removes
// the named KBs with IUpdateInstaller.Uninstall(), refusing before anything changes when Windows
// says an update cannot be removed (IsUninstallable false).
import { hresultName } from '../model/hresult.ts';
import type { UpdateInfo } from '../model/update.ts';
import type { InstalledUpdate } from './ports.ts';
import { type RunState, SUCCEEDED } from './run-state.ts';

/** Why: an installed update in the shape the run's outcomes are kept in. */
function asInfo(u: InstalledUpdate): UpdateInfo {
  return {
    id: u.id,
    revision: 1,
    kbs: u.kbs,
    title: u.title,
    classification: '',
    categories: [],
    severity: null,
    sizeBytes: 0,
    rebootBehavior: 'can',
    impact: 'normal',
    eulaAccepted: true,
    optional: false,
    downloaded: true,
  };
}

/** Why: --hide/--unhide before the search; an agent that cannot is the run's error. */
export async function applyHidden(st: RunState): Promise<boolean> {
  const { agent, job } = st.deps;
  for (const [kbs, hidden] of [
    [job.hide ?? [], true],
    [job.unhide ?? [], false],
  ] as const) {
    if (kbs.length === 0) continue;
    if (!agent.setHidden) {
      st.setError('client-error', 'this update agent cannot hide or unhide updates');
      return false;
    }
    const changed = await st.call(agent.setHidden([...kbs], hidden));
    const verb = hidden ? 'hid' : 'unhid';
    const names = changed.map((u) => u.kbs[0] ?? u.id);
    st.log.emit(
      'info',
      hidden ? 'update.hidden' : 'update.unhidden',
      `${verb} ${names.join(', ') || 'nothing'} (asked: ${kbs.join(', ')})`,
      {
        kbs: [...kbs],
        changed: names,
      },
    );
  }
  return true;
}

/** Why: the updates named by --uninstall, or the sentence that refuses the run before any change. */
function planUninstall(st: RunState, installed: InstalledUpdate[]): InstalledUpdate[] | null {
  const wanted = st.deps.job.uninstall ?? [];
  const targets: InstalledUpdate[] = [];
  const refused: string[] = [];
  for (const kb of wanted) {
    const u = installed.find((x) => x.kbs.some((k) => k.toUpperCase() === kb.toUpperCase()));
    if (!u) {
      const text = `${kb} is not installed; nothing to uninstall`;
      // After a cycle that removed it, that is the expected answer.
      if (st.deps.job.cycle === 1) st.warnings.push(text);
      st.log.emit(st.deps.job.cycle === 1 ? 'warn' : 'info', 'uninstall.absent', text, { kb });
    } else if (!u.uninstallable) {
      refused.push(
        `${kb} ("${u.title}"): Windows reports IsUninstallable false, so it cannot be removed (cumulative updates usually cannot)`,
      );
    } else targets.push(u);
  }
  if (refused.length === 0) return targets;
  st.setError('uninstall-refused', `uninstall refused, nothing was removed: ${refused.join('; ')}`);
  st.log.emit('error', 'uninstall.refused', `uninstall refused: ${refused.join('; ')}`, { refused });
  return null;
}

/** Why: the uninstall run's one pass; the reboot it needs is handled like an install's. */
export async function uninstallPass(st: RunState): Promise<void> {
  const { agent } = st.deps;
  if (!agent.installedUpdates || !agent.uninstall) {
    st.setError('client-error', 'this update agent cannot uninstall updates');
    return;
  }
  const targets = planUninstall(st, await st.call(agent.installedUpdates()));
  if (!targets || targets.length === 0) return;
  const names = targets.map((u) => u.kbs[0] ?? u.id);
  st.log.emit('info', 'uninstall.start', `uninstalling ${names.join(', ')}`, {
    ids: targets.map((u) => u.id),
    kbs: names,
  });
  const result = await st.call(agent.uninstall(targets.map((u) => u.id)));
  targets.forEach((u, i) => {
    const r = result.updates[i];
    const name = names[i];
    if (r && SUCCEEDED.has(r.resultCode)) {
      st.setOutcome(asInfo(u), 'uninstalled', {
        rebootRequired: r.rebootRequired ?? false,
        cycle: st.deps.job.cycle,
      });
      st.log.emit(
        'info',
        'uninstall.result',
        `uninstalled ${name}${r.rebootRequired ? ' (reboot required)' : ''}`,
        { id: u.id, kb: name },
      );
      return;
    }
    const hr = r?.hresult || result.hresult;
    st.fail(asInfo(u), hr, `uninstall ${r?.resultCode ?? 'gave no result'}`);
    st.log.emit('error', 'uninstall.result', `uninstall of ${name} failed: ${hresultName(hr)}`, {
      id: u.id,
      kb: name,
      hresult: hr >>> 0,
    });
  });
  if (result.rebootRequired) st.rebootRequired = true;
}
