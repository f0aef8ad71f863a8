// The `wua` UpdateAgent: drives the Windows Update Agent through the PowerShell bridge. Every
// decision lives here — search criteria and server selection, one COM call per update, what
// progress reaches the client (operation-progress.ts), how per-call results combine — and
// bridge.ps1 only marshals COM (asynchronous calls whose GetProgress() it streams).

import {
  AgentError,
  type AgentProgress,
  type OperationResult,
  type PerUpdateResult,
  type SearchResult,
  type UpdateAgent,
} from '../../client/ports.ts';
import { overallResultCode } from '../../model/operation-result.ts';
import type { UpdateSource } from '../../model/update.ts';
import { type BridgeLaunch, BridgeProcess, type SpawnBridge } from './bridge-process.ts';
import { bridgeArgs, powershellPath } from './bridge-script.ts';
import { wuaMaintenance } from './maintenance.ts';
import { resultCodeWord, toUpdateInfo } from './map-update.ts';
import { createProgressReporter } from './operation-progress.ts';
import {
  type BridgeProgress,
  type BridgeRequest,
  parseReply,
  type RawOperation,
  rawOperationSchema,
  rawSearchSchema,
  rawServiceCheckSchema,
  type ServiceCheck,
} from './protocol.ts';

/** docs/windows-facts.md#wua-search-criteria: the common peer criteria; filtering happens in the client. */
export const SEARCH_CRITERIA = "IsInstalled=0 and IsHidden=0 and Type='Software'";
/** docs/windows-facts.md#wua-server-selection: the Microsoft Update service (ssOthers + ServiceID). */
export const MICROSOFT_UPDATE_SERVICE_ID = '7971f918-a847-4430-9279-4a52d1efe18d';

/** Why: --source as WUA's ServerSelection (ssDefault 0, ssManagedServer 1, ssWindowsUpdate 2, ssOthers 3). */
export function serverSelectionFor(source: UpdateSource): {
  serverSelection: number;
  serviceId: string | null;
} {
  switch (source) {
    case 'default':
      return { serverSelection: 0, serviceId: null };
    case 'wsus':
      return { serverSelection: 1, serviceId: null };
    case 'windows-update':
      return { serverSelection: 2, serviceId: null };
    case 'microsoft-update':
      return { serverSelection: 3, serviceId: MICROSOFT_UPDATE_SERVICE_ID };
  }
}

export interface WuaTimeouts {
  startup: number;
  search: number;
  /** Per download call, progress lines or not (one update in per-update mode). */
  download: number;
  /** Per install call, progress lines or not. */
  install: number;
  /** acceptEula, rebootRequired, serviceCheck. */
  short: number;
}

export const DEFAULT_WUA_TIMEOUTS: WuaTimeouts = {
  startup: 120_000,
  search: 60 * 60_000,
  download: 2 * 60 * 60_000,
  install: 4 * 60 * 60_000,
  short: 5 * 60_000,
};

export interface WuaAgentOptions {
  /** The bridge command; default powershell.exe with bridge.ps1 as -EncodedCommand. */
  launch?: BridgeLaunch;
  spawn?: SpawnBridge;
  timeouts?: Partial<WuaTimeouts>;
  /**
   * 'per-update' (default): one Download()/Install() per update, as PSWindowsUpdate does, so the
   * log shows each update finish. 'single-call': one call for all ids (WUA batches them itself).
   */
  installMode?: 'per-update' | 'single-call';
  /**
   * IUpdateInstaller2.ForceQuiet (docs/windows-facts.md#wua-results). Default true: nobody is there to answer
   * a prompt.
   */
  forceQuiet?: boolean;
}

export interface WuaAgent extends UpdateAgent {
  /** The registered update services and the wuauserv state, for diagnostics and --source checks. */
  serviceCheck(): Promise<ServiceCheck>;
}

/** WU_E_INSTALL_NOT_ALLOWED: also "another install is running", so the installer's property decides. */
const WU_E_INSTALL_NOT_ALLOWED = 0x80240016;
const BEFORE_INSTALL = 'rebootRequiredBeforeInstallation';

/** IUpdateInstaller.RebootRequiredBeforeInstallation on an install's result, when it was read. */
function blockedField(phase: 'download' | 'install', value: boolean | null | undefined) {
  return phase === 'install' && typeof value === 'boolean' ? { rebootRequiredBeforeInstallation: value } : {};
}

/** Why: several per-update calls reported as the one OperationResult the port promises. */
export function combineResults(updates: PerUpdateResult[], rebootRequired: boolean): OperationResult {
  const resultCode = overallResultCode(updates);
  const firstError = updates.find((u) => u.hresult !== 0);
  return { resultCode, hresult: firstError?.hresult ?? 0, updates, rebootRequired };
}

/** Why: the bridge's per-update results, matched to the ids asked for (a count mismatch is a bridge fault). */
export function perUpdate(ids: string[], raw: RawOperation): PerUpdateResult[] {
  if (raw.updates.length !== ids.length) {
    throw new Error(`WUA bridge returned ${raw.updates.length} per-update results for ${ids.length} updates`);
  }
  return raw.updates.map((u, i) => ({
    id: ids[i] as string,
    resultCode: resultCodeWord(u.resultCode),
    hresult: u.hresult >>> 0,
    rebootRequired: u.rebootRequired,
  }));
}

/** Why: the client's UpdateAgent on a real Windows server. */
export function createWuaAgent(opts: WuaAgentOptions = {}): WuaAgent {
  const timeouts: WuaTimeouts = { ...DEFAULT_WUA_TIMEOUTS, ...opts.timeouts };
  const launch = opts.launch ?? { command: powershellPath(), args: bridgeArgs() };
  const mode = opts.installMode ?? 'per-update';
  const forceQuiet = opts.forceQuiet ?? true;
  let bridge: Promise<BridgeProcess> | null = null;
  /** Ids the current bridge holds IUpdate objects for (from its latest search). */
  let known = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  const getBridge = async (): Promise<BridgeProcess> => {
    if (bridge) {
      const current = await bridge.catch(() => null);
      if (current?.alive) return current;
    }
    known = new Set();
    bridge = BridgeProcess.start(launch, timeouts.startup, opts.spawn);
    return bridge;
  };

  // WUA operations are serialized: one COM call at a time, in call order.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const call = async (req: BridgeRequest, timeoutMs: number, onProgress?: (p: BridgeProgress) => void) =>
    (await getBridge()).request(req, timeoutMs, onProgress);

  const requireKnown = (ids: string[]) => {
    if (ids.length === 0) throw new Error('WUA: no update ids given');
    for (const id of ids) {
      if (!known.has(id.toLowerCase())) {
        throw new Error(`WUA: update ${id} is not in the latest search result (search again first)`);
      }
    }
  };

  const runOperation = async (
    phase: 'download' | 'install',
    ids: string[],
    onProgress?: (p: AgentProgress) => void,
  ): Promise<OperationResult> => {
    await getBridge();
    requireKnown(ids);
    const lower = ids.map((id) => id.toLowerCase());
    const request = (batch: string[]): BridgeRequest =>
      phase === 'download' ? { op: 'download', ids: batch } : { op: 'install', ids: batch, forceQuiet };
    const timeout = phase === 'download' ? timeouts.download : timeouts.install;
    const progress = createProgressReporter(phase, onProgress);

    if (mode === 'single-call' || lower.length === 1) {
      progress.report(0, lower[0] as string, 0);
      const raw = parseReply(
        rawOperationSchema,
        await call(request(lower), timeout, progress.forBatch(lower, 0)),
        phase,
      );
      const updates = perUpdate(lower, raw);
      for (const [index, u] of updates.entries()) progress.report(index, u.id, 100);
      return {
        resultCode: resultCodeWord(raw.resultCode),
        hresult: raw.hresult >>> 0,
        updates,
        rebootRequired: phase === 'install' && raw.rebootRequired,
        ...blockedField(phase, raw.rebootRequiredBeforeInstallation),
      };
    }

    const results: PerUpdateResult[] = [];
    const comErrors: AgentError[] = [];
    let rebootRequired = false;
    let blocked = false;
    for (const [index, id] of lower.entries()) {
      // WUA refuses every install until the restart: the rest are not tried (docs/windows-facts.md#wua-results).
      if (blocked) {
        results.push({ id, resultCode: 'notStarted', hresult: 0 });
        continue;
      }
      progress.report(index, id, 0);
      try {
        const raw = parseReply(
          rawOperationSchema,
          await call(request([id]), timeout, progress.forBatch([id], index)),
          phase,
        );
        const [one] = perUpdate([id], raw);
        results.push(one as PerUpdateResult);
        rebootRequired ||= phase === 'install' && raw.rebootRequired;
        blocked = phase === 'install' && raw.rebootRequiredBeforeInstallation === true;
      } catch (err) {
        // A COM exception fails this update only; a broken bridge ends the whole operation.
        if (!(err instanceof AgentError)) throw err;
        comErrors.push(err);
        results.push({ id, resultCode: 'failed', hresult: err.hresult });
        if (phase === 'install' && err.hresult === WU_E_INSTALL_NOT_ALLOWED)
          blocked = await flag(BEFORE_INSTALL);
      }
      progress.report(index, id, 100);
    }
    // Every call threw: nothing happened, so it is the whole call that failed, as in one batch.
    if (comErrors.length === lower.length) throw comErrors[0];
    return { ...combineResults(results, rebootRequired), ...blockedField(phase, blocked) };
  };

  // A Boolean the bridge reads from WUA; anything else is a broken reply.
  const flag = async (op: 'rebootRequired' | 'installerBusy' | typeof BEFORE_INSTALL): Promise<boolean> => {
    const v = await call({ op }, timeouts.short);
    if (typeof v !== 'boolean') throw new Error(`WUA bridge: ${op} answered ${JSON.stringify(v)}`);
    return v;
  };

  return {
    ...wuaMaintenance(call, serial, timeouts, perUpdate),
    search: (source) =>
      serial(async () => {
        const selection = serverSelectionFor(source);
        if (selection.serviceId) {
          const check = parseReply(
            rawServiceCheckSchema,
            await call({ op: 'serviceCheck' }, timeouts.short),
            'serviceCheck',
          );
          if (!check.services.some((s) => s.id.toLowerCase() === selection.serviceId)) {
            throw new Error(
              'WUA: --source microsoft-update needs the Microsoft Update service registered on this server ' +
                `(ServiceID ${MICROSOFT_UPDATE_SERVICE_ID}); opt in to Microsoft Update there, or use --source windows-update`,
            );
          }
        }
        const raw = parseReply(
          rawSearchSchema,
          await call({ op: 'search', criteria: SEARCH_CRITERIA, ...selection }, timeouts.search),
          'search',
        );
        const updates = raw.updates.map(toUpdateInfo);
        known = new Set(updates.map((u) => u.id));
        const result: SearchResult = {
          resultCode: resultCodeWord(raw.resultCode),
          updates,
          warnings: raw.warnings.map((w) => ({ hresult: w.hresult >>> 0, message: w.message })),
        };
        return result;
      }),
    acceptEula: (id) =>
      serial(async () => {
        await getBridge();
        requireKnown([id]);
        await call({ op: 'acceptEula', updateId: id.toLowerCase() }, timeouts.short);
      }),
    download: (ids, onProgress) => serial(() => runOperation('download', ids, onProgress)),
    install: (ids, onProgress) => serial(() => runOperation('install', ids, onProgress)),
    rebootRequired: () => serial(() => flag('rebootRequired')),
    installerBusy: () => serial(() => flag('installerBusy')),
    rebootRequiredBeforeInstallation: () => serial(() => flag(BEFORE_INSTALL)),
    serviceCheck: () =>
      serial(async () =>
        parseReply(rawServiceCheckSchema, await call({ op: 'serviceCheck' }, timeouts.short), 'serviceCheck'),
      ),
    close: async () => {
      const b = bridge;
      bridge = null;
      if (!b) return;
      const current = await b.catch(() => null);
      await current?.close();
    },
  };
}
