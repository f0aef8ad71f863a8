// The client's platform adapters, chosen here so that src/client imports none: the WUA bridge and
// the Windows system adapter, loaded on first use (a POSIX machine never loads them). Literal
// specifiers keep them visible to the bundler.
import type { ClientPlatform } from '../client/process-env.ts';

/** Why: what the shipped wsus-client.exe can drive: the real Windows Update Agent. */
export const windowsClientPlatform: ClientPlatform = {
  wua: () => import('../windows/wua/agent.ts'),
  windowsSystem: () => import('../windows/system.ts'),
};
