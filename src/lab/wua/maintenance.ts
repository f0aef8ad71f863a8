// The lab agent's hide, unhide and uninstall (docs/lab.md "Uninstall and hide"): IUpdate.IsHidden
// on the host's not-installed entries, and IUpdateInstaller.Uninstall() of installed entries whose
// catalog entry says `uninstallable`; an uninstall of an update that needs a reboot completes at it.
import {
  AgentError,
  type HiddenChange,
  type InstalledUpdate,
  type OperationResult,
  type UpdateAgent,
} from '../../client/ports.ts';
import { overallResultCode } from '../../model/operation-result.ts';
import type { CatalogEntry } from '../scenario.ts';
import { entryByUpdateId, isInstalled } from './applicability.ts';
import type { LabHostState, LabStateStore } from './state.ts';

/** WU_S_ALREADY_UNINSTALLED: "the update to be removed is not installed" (WUA success codes). */
const WU_S_ALREADY_UNINSTALLED = 0x00240007;

function hostEntries(s: LabHostState): CatalogEntry[] {
  return s.hostCatalog.map((id) => s.catalog.find((c) => c.id === id)).filter((e): e is CatalogEntry => !!e);
}

const view = (e: CatalogEntry) => ({
  id: e.updateId.toLowerCase(),
  kbs: [e.kb.toUpperCase()],
  title: e.title,
});

/** Why: the lab's answers to the three optional UpdateAgent methods, over its state store. */
export function labMaintenance(
  store: LabStateStore,
): Required<Pick<UpdateAgent, 'setHidden' | 'installedUpdates' | 'uninstall'>> {
  return {
    setHidden: (kbs, hidden) =>
      store.update((s): HiddenChange[] => {
        const wanted = new Set(kbs.map((k) => k.toUpperCase()));
        const set = new Set(s.hidden ?? []);
        const changed = hostEntries(s).filter(
          (e) => wanted.has(e.kb.toUpperCase()) && !isInstalled(s, e) && set.has(e.id) !== hidden,
        );
        for (const e of changed) hidden ? set.add(e.id) : set.delete(e.id);
        s.hidden = [...set];
        return changed.map(view);
      }),
    async installedUpdates(): Promise<InstalledUpdate[]> {
      const s = await store.read();
      return hostEntries(s)
        .filter((e) => isInstalled(s, e) && !s.pendingUninstalls?.includes(e.id))
        .map((e) => ({ ...view(e), uninstallable: e.uninstallable }));
    },
    uninstall: (ids) =>
      store.update((s): OperationResult => {
        const updates = ids.map((id) => {
          const e = entryByUpdateId(s, id);
          if (!e) throw new AgentError(0x80240024, `no update ${id} in this host's catalog`);
          if (!isInstalled(s, e))
            return { id, resultCode: 'succeeded' as const, hresult: WU_S_ALREADY_UNINSTALLED };
          // The client refuses these before calling; the lab does not guess Windows' HRESULT for them.
          if (!e.uninstallable) throw new Error(`lab: ${e.kb} is not uninstallable`);
          s.installed = s.installed.filter((x) => x !== e.id);
          s.installedKbs = s.installedKbs.filter((k) => k !== e.kb.toUpperCase());
          const reboot = e.reboot !== 'never';
          if (reboot) s.pendingUninstalls = [...(s.pendingUninstalls ?? []), e.id];
          return { id, resultCode: 'succeeded' as const, hresult: 0, rebootRequired: reboot };
        });
        if (updates.length === 0) throw new AgentError(0x80240024, 'there are no updates in the collection');
        return {
          resultCode: overallResultCode(updates),
          hresult: 0,
          updates,
          rebootRequired: updates.some((u) => u.rebootRequired),
        };
      }),
  };
}
