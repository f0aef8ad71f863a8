// Installs that Windows refuses until a reboot: after an update that needs one, WUA fails later
// installs with WU_E_INSTALL_NOT_ALLOWED and IUpdateInstaller.RebootRequiredBeforeInstallation
// reads true (docs/windows-facts.md, docs/client.md#the-run). Those updates are deferred to the
// next cycle, never failed.
import type { UpdateInfo } from '../model/update.ts';
import type { OperationResult } from './ports.ts';
import { kbOf, label, type RunState } from './run-state.ts';

/** WU_E_INSTALL_NOT_ALLOWED: also "another install is in progress", so the property decides. */
export const WU_E_INSTALL_NOT_ALLOWED = 0x80240016;

/** Why: the one question "does WUA refuse installs until a reboot?"; an agent without the read says no. */
export async function rebootBeforeInstall(st: RunState, result?: OperationResult): Promise<boolean> {
  if (result?.rebootRequiredBeforeInstallation !== undefined) return result.rebootRequiredBeforeInstallation;
  const read = st.deps.agent.rebootRequiredBeforeInstallation;
  if (!read) return false;
  return st.call(read.call(st.deps.agent)).catch(() => false);
}

/** Why: the updates of an install result that WUA did not try, or refused because of a pending reboot. */
export async function refusedForReboot(
  st: RunState,
  batch: UpdateInfo[],
  result: OperationResult,
): Promise<Set<string>> {
  const refused = batch.filter((u, i) => {
    const r = result.updates[i] ?? result.updates.find((x) => x.id === u.id);
    return (
      r?.resultCode === 'notStarted' || (r?.resultCode === 'failed' && r.hresult === WU_E_INSTALL_NOT_ALLOWED)
    );
  });
  if (refused.length === 0 || !(await rebootBeforeInstall(st, result))) return new Set();
  return new Set(refused.map((u) => u.id));
}

/**
 * Why: a deferred update stays ready (downloaded) for the next cycle and is named in the log; no
 * warning, since with --restart the next cycle installs it, as after any reboot-requiring update.
 */
export function defer(st: RunState, updates: UpdateInfo[]): void {
  if (updates.length === 0) return;
  const message = 'deferred to the next cycle: Windows requires a restart before further installs';
  for (const u of updates) {
    st.setOutcome(u, 'downloaded', { message });
    st.log.emit('warn', 'install.deferred', `${label(u)} ${message}`, {
      id: u.id,
      kb: kbOf(u),
      reason: 'RebootRequiredBeforeInstallation',
    });
  }
}
