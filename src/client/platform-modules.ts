// The adapters the process host loads on demand: Windows-only modules stay unloaded on POSIX,
// and the lab is loaded only for lab jobs. Literal specifiers keep them visible to bundlers.
// The interfaces state what this file relies on from each module (written by other components).
import type { SystemPort, UpdateAgent } from './ports.ts';

type MaybePromise<T> = T | Promise<T>;

export interface LabModule {
  labClientParts(hostDir: string): MaybePromise<{ agent: UpdateAgent; system: SystemPort }>;
}
export interface WuaModule {
  createWuaAgent(): MaybePromise<UpdateAgent>;
}
export interface WindowsSystemModule {
  createWindowsSystem(): MaybePromise<SystemPort>;
}

/** Why: the lab's emulated WUA and host state for `agent.kind = "lab"` jobs. */
export function loadLabModule(): Promise<LabModule> {
  return import('../lab/client-parts.ts') as Promise<LabModule>;
}

/** Why: the PowerShell WUA bridge, Windows only. */
export function loadWuaModule(): Promise<WuaModule> {
  return import('../windows/wua/agent.ts') as Promise<WuaModule>;
}

/** Why: boot time, pending reboot, servicing state and shutdown.exe on Windows. */
export function loadWindowsSystemModule(): Promise<WindowsSystemModule> {
  return import('../windows/system.ts') as Promise<WindowsSystemModule>;
}
