// The lab's UpdateAgent: WUA's search/download/install semantics over the scenario catalog,
// with the durations, reboot behaviours, exclusive handling, EULAs and injected failures the
// scenario describes (docs/lab.md#scenario-fields, docs/windows-facts.md#wua-results,
// #wua-exclusive-handling).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AgentError,
  type AgentProgress,
  type OperationResult,
  type PerUpdateResult,
  type SearchResult,
  type UpdateAgent,
} from '../../client/ports.ts';
import { overallResultCode } from '../../model/operation-result.ts';
import type { CatalogEntry } from '../scenario.ts';
import { applicableEntries, entryByUpdateId } from './applicability.ts';
import { labMaintenance } from './maintenance.ts';
import {
  fileStateStore,
  isInstallerBusy,
  isRebootPending,
  type LabHostState,
  type LabStateStore,
} from './state.ts';
import { toUpdateInfo } from './to-update-info.ts';

const WU_E_EXCLUSIVE_INSTALL_CONFLICT = 0x80240019;
/** Install() while IsBusy (docs/lab.md "Busy installer"). */
const WU_E_INSTALL_NOT_ALLOWED = 0x80240016;
const WU_E_EULAS_DECLINED = 0x80240023;
const WU_E_NO_UPDATE = 0x80240024;
const WU_E_UH_POSTREBOOTSTILLPENDING = 0x80242014;
/** A download from a corrupt Windows Update store (docs/lab.md "Store corruption"). */
const ERROR_FILE_NOT_FOUND = 0x80070002;
/** wuauserv Disabled: every WUA call fails (docs/lab.md "Windows Update service"). */
const ERROR_SERVICE_DISABLED = 0x80070422;
/** A failed ISystemInformation.RebootRequired read (docs/lab.md "SystemInfo read failures"). */
const WU_E_SERVICE_STOP = 0x8024001e;

/** Why: what WUA refuses for one update before any work: a corrupt store, a reboot owed, a EULA. */
function refusal(phase: Phase, s: LabHostState, e: CatalogEntry): number | null {
  if (phase === 'download' && s.wuStoreCorrupt) return ERROR_FILE_NOT_FOUND;
  // An installed blocksFurtherInstalls entry: WUA refuses the rest of this boot's installs.
  if (phase === 'install' && s.installsBlocked) return WU_E_INSTALL_NOT_ALLOWED;
  if (phase === 'install' && e.eula && !s.eulaAccepted.includes(e.id)) return WU_E_EULAS_DECLINED;
  return null;
}

/** Why: a disabled Windows Update service answers no WUA call; a manual one starts on demand. */
async function requireService(store: LabStateStore): Promise<void> {
  const s = await store.read();
  if (s.wuauserv === 'disabled') {
    throw new AgentError(ERROR_SERVICE_DISABLED, 'the Windows Update service (wuauserv) is disabled');
  }
  if (s.wuauserv === 'manual' && !s.wuauservStarted) {
    await store.update((st) => {
      st.wuauservStarted = true;
    });
  }
}

type Phase = 'download' | 'install';

/** Why: the Nth attempt of a phase fails when the scenario injects a failure for it. */
function injectedFailure(e: CatalogEntry, phase: Phase, attempt: number): number | null {
  const f = e.failures.find((x) => x.phase === phase && x.attempt === attempt);
  return f ? Number.parseInt(f.hresult.slice(2), 16) >>> 0 : null;
}

/** Why: a phase takes its scenario duration (× timeScale), reporting progress as it goes. */
async function work(
  seconds: number,
  s: LabHostState,
  report: (percent: number) => void,
  wait: LabAgentDeps['sleep'],
  signal?: AbortSignal,
): Promise<void> {
  const ms = seconds * s.timeScale * 1000;
  report(0);
  const steps = ms >= 400 ? 4 : 1;
  for (let i = 1; i <= steps; i++) {
    await wait(ms / steps, signal);
    report(Math.round((100 * i) / steps));
  }
}

export interface LabAgentDeps {
  store: LabStateStore;
  /** The passing of time: real for the lab, a virtual clock in the connector's fast tests. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  /** Aborts work in progress when the host powers off. */
  signal?: AbortSignal | undefined;
}

/** Why: the agent a lab host's client gets; `signal` aborts work when the host powers off. */
export function createLabAgent(hostDir: string, signal?: AbortSignal): UpdateAgent {
  return labAgent({
    store: fileStateStore(hostDir),
    sleep: (ms, sig) => sleep(ms, undefined, sig ? { signal: sig } : undefined),
    now: Date.now,
    signal,
  });
}

/** Why: WUA's semantics over any state store and clock, so fast tests run the lab's own logic. */
export function labAgent(deps: LabAgentDeps): UpdateAgent {
  const { store, signal } = deps;
  const lookup = (s: LabHostState, id: string): CatalogEntry => {
    const e = entryByUpdateId(s, id);
    if (!e) throw new AgentError(WU_E_NO_UPDATE, `no update ${id} in this host's catalog`);
    return e;
  };

  async function runPhase(
    phase: Phase,
    ids: string[],
    onProgress: ((p: AgentProgress) => void) | undefined,
  ): Promise<OperationResult> {
    if (ids.length === 0) throw new AgentError(WU_E_NO_UPDATE, 'there are no updates in the collection');
    await requireService(store);
    const first = await store.read();
    if (phase === 'install' && first.installsBlocked) {
      throw new AgentError(WU_E_INSTALL_NOT_ALLOWED, 'a restart is required before further installs');
    }
    if (phase === 'install' && isInstallerBusy(first, deps.now())) {
      throw new AgentError(WU_E_INSTALL_NOT_ALLOWED, 'another installation is in progress');
    }
    const entries = ids.map((id) => lookup(first, id));
    if (phase === 'install' && entries.length > 1 && entries.some((e) => e.exclusive)) {
      throw new AgentError(
        WU_E_EXCLUSIVE_INSTALL_CONFLICT,
        'an update that requires exclusive handling was batched with others',
      );
    }
    const servicing =
      phase === 'install' && first.servicingUntilMs !== null && deps.now() < first.servicingUntilMs;
    const results: PerUpdateResult[] = [];
    for (const [index, e] of entries.entries()) {
      const id = ids[index] as string;
      const progress = (percent: number) => onProgress?.({ phase, index, id, percent });
      const fail = (hresult: number) => results.push({ id, resultCode: 'failed', hresult });
      if (servicing) {
        fail(WU_E_UH_POSTREBOOTSTILLPENDING);
        continue;
      }
      const s = await store.read();
      const refused = refusal(phase, s, e);
      if (refused !== null) {
        fail(refused);
        continue;
      }
      const attempt = await store.update((st) => {
        const a = st.attempts[e.id] ?? { download: 0, install: 0 };
        st.attempts[e.id] = a;
        a[phase] += 1;
        return a[phase];
      });
      await work(
        phase === 'download' ? e.downloadSeconds : e.installSeconds,
        s,
        progress,
        deps.sleep,
        signal,
      );
      const hr = injectedFailure(e, phase, attempt);
      if (hr !== null) {
        fail(hr);
        continue;
      }
      const needsReboot = phase === 'install' && e.reboot !== 'never';
      await store.update((st) => {
        if (phase === 'download') {
          if (!st.downloaded.includes(e.id)) st.downloaded.push(e.id);
        } else if (needsReboot) {
          if (!st.pendingInstalls.includes(e.id)) st.pendingInstalls.push(e.id);
        } else if (!st.installed.includes(e.id)) {
          st.installed.push(e.id);
        }
        // A `reinstalls` entry comes back: it must be downloaded again, like a new definition.
        if (phase === 'install' && e.reinstalls) st.downloaded = st.downloaded.filter((x) => x !== e.id);
        if (phase === 'install' && e.blocksFurtherInstalls) st.installsBlocked = true;
      });
      results.push({
        id,
        resultCode: 'succeeded',
        hresult: 0,
        ...(phase === 'install' ? { rebootRequired: needsReboot } : {}),
      });
    }
    const after = await store.read();
    return {
      resultCode: overallResultCode(results),
      hresult: 0,
      updates: results,
      rebootRequired: phase === 'install' ? isRebootPending(after) : false,
      ...(phase === 'install' ? { rebootRequiredBeforeInstallation: after.installsBlocked === true } : {}),
    };
  }

  return {
    ...labMaintenance(store),
    async search(): Promise<SearchResult> {
      await requireService(store);
      const s = await store.read();
      return {
        resultCode: 'succeeded',
        updates: applicableEntries(s, deps.now()).map((e) => toUpdateInfo(s, e)),
        warnings: [],
      };
    },
    async acceptEula(id) {
      await store.update((s) => {
        const e = lookup(s, id);
        if (!s.eulaAccepted.includes(e.id)) s.eulaAccepted.push(e.id);
      });
    },
    download: (ids, onProgress) => runPhase('download', ids, onProgress),
    install: (ids, onProgress) => runPhase('install', ids, onProgress),
    async rebootRequired() {
      const s = await store.read();
      const fails =
        s.systemInfoFails === 'always' || (s.systemInfoFails === 'until-reboot' && s.bootCount === 0);
      if (fails)
        throw new AgentError(WU_E_SERVICE_STOP, 'SystemInfo.RebootRequired: the service is stopping');
      return isRebootPending(s);
    },
    async rebootRequiredBeforeInstallation() {
      return (await store.read()).installsBlocked === true;
    },
    async installerBusy() {
      return isInstallerBusy(await store.read(), deps.now());
    },
    async close() {},
  };
}
