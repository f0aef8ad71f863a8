// The ports the client works through. The `wua` adapter (PowerShell bridge) and the lab's
// emulated WUA implement UpdateAgent; the Windows and lab hosts implement SystemPort.
import type { OperationResultCode, PerUpdateResult } from '../model/operation-result.ts';
import type { RebootSignals } from '../model/reboot-pending.ts';
import type { UpdateInfo, UpdateSource } from '../model/update.ts';

export type { OperationResultCode, PerUpdateResult } from '../model/operation-result.ts';

export interface AgentWarning {
  hresult: number;
  message: string;
}

export interface SearchResult {
  resultCode: OperationResultCode;
  updates: UpdateInfo[];
  warnings: AgentWarning[];
}

export interface OperationResult {
  resultCode: OperationResultCode;
  hresult: number;
  /** Same order as the ids passed in (IDownloadResult/IInstallationResult.GetUpdateResult(i)). */
  updates: PerUpdateResult[];
  /** IInstallationResult.RebootRequired; false for downloads. */
  rebootRequired: boolean;
  /** IUpdateInstaller.RebootRequiredBeforeInstallation after an install call (absent for downloads). */
  rebootRequiredBeforeInstallation?: boolean;
}

export interface AgentProgress {
  phase: 'download' | 'install';
  /** Index in the ids passed in, and that update's id. */
  index: number;
  id: string;
  percent: number;
}

/** A COM exception from WUA (e.g. WU_E_EXCLUSIVE_INSTALL_CONFLICT from Install()). */
export class AgentError extends Error {
  readonly hresult: number;
  constructor(hresult: number, message: string) {
    super(message);
    this.name = 'AgentError';
    this.hresult = hresult >>> 0;
  }
}

/** An installed update, as IUpdateSearcher.Search("IsInstalled=1") gives it. */
export interface InstalledUpdate {
  id: string;
  kbs: string[];
  title: string;
  /** IUpdate.IsUninstallable: false for updates Windows will not remove (e.g. most LCUs). */
  uninstallable: boolean;
}

/** An update whose IUpdate.IsHidden was changed. */
export interface HiddenChange {
  id: string;
  kbs: string[];
  title: string;
}

export interface UpdateAgent {
  /** IUpdateSearcher.Search("IsInstalled=0 and IsHidden=0 and Type='Software'"). */
  search(source: UpdateSource): Promise<SearchResult>;
  /** IUpdate.AcceptEula(). */
  acceptEula(id: string): Promise<void>;
  download(ids: string[], onProgress?: (p: AgentProgress) => void): Promise<OperationResult>;
  /** Throws AgentError for whole-call failures such as 0x80240019. */
  install(ids: string[], onProgress?: (p: AgentProgress) => void): Promise<OperationResult>;
  /** Microsoft.Update.SystemInfo.RebootRequired. */
  rebootRequired(): Promise<boolean>;
  /** IUpdateInstaller.RebootRequiredBeforeInstallation: WUA refuses installs until a reboot. */
  rebootRequiredBeforeInstallation?(): Promise<boolean>;
  /** IUpdateInstaller.IsBusy: another install or uninstall is in progress. */
  installerBusy(): Promise<boolean>;
  /** Sets IUpdate.IsHidden on the not-installed updates with these KBs; absent = cannot. */
  setHidden?(kbs: string[], hidden: boolean): Promise<HiddenChange[]>;
  /** The installed updates (IsInstalled=1); absent = cannot uninstall. */
  installedUpdates?(): Promise<InstalledUpdate[]>;
  /** IUpdateInstaller.Uninstall() of updates from the latest installedUpdates(). */
  uninstall?(ids: string[]): Promise<OperationResult>;
  close(): Promise<void>;
}

export interface UpdateServiceState {
  startType: 'automatic' | 'manual' | 'disabled' | 'unknown';
  running: boolean;
}

/** What the host machine tells and does outside WUA. */
export interface SystemPort {
  /** Last boot time, ISO 8601 with offset. */
  bootTime(): Promise<string>;
  /** The raw pending-reboot triggers (docs/windows.md); src/model/reboot-pending.ts decides. */
  rebootSignals(): Promise<RebootSignals>;
  /** The host's own clock now, ISO 8601: the connector times the task's trigger by it. */
  now(): Promise<string>;
  /**
   * CBS still servicing after a reboot (docs/windows-facts.md#reboot-and-boot-detection,
   * ServicingInProgress).
   */
  servicingInProgress(): Promise<boolean>;
  /** The Windows Update service (wuauserv): start type and whether it runs now. */
  updateService?(): Promise<UpdateServiceState>;
  /** Start a reboot now. Windows: shutdown.exe /r with a planned security-fix reason. */
  reboot(comment: string): Promise<void>;
  /** Free space of the system drive in MB (Win32_LogicalDisk FreeSpace); absent = cannot tell. */
  freeDiskMB?(): Promise<number>;
  /** Image names of the running processes (Win32_Process Name); absent = cannot tell. */
  processNames?(): Promise<string[]>;
  /**
   * Stop wuauserv, bits and cryptsvc, rename SoftwareDistribution and catroot2, start them again
   * (docs/usage.md#self-healing); resolves with what was done, in order.
   */
  resetUpdateStore?(): Promise<string[]>;
}
