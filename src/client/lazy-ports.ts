// Ports whose implementation is loaded on first use. The process host picks the WUA bridge, the
// Windows system adapter or the lab's parts by dynamic import, so a POSIX machine never loads
// Windows-only modules, and the synchronous ClientEnv.agent() can still hand out an agent at once.
import type { SystemPort, UpdateAgent } from './ports.ts';

/** Why: an UpdateAgent that loads its implementation on the first call (load errors surface there). */
export function lazyAgent(load: () => Promise<UpdateAgent>): UpdateAgent {
  let loading: Promise<UpdateAgent> | null = null;
  const get = () => {
    loading ??= load();
    return loading;
  };
  return {
    search: async (source) => (await get()).search(source),
    acceptEula: async (id) => (await get()).acceptEula(id),
    download: async (ids, onProgress) => (await get()).download(ids, onProgress),
    install: async (ids, onProgress) => (await get()).install(ids, onProgress),
    rebootRequired: async () => (await get()).rebootRequired(),
    rebootRequiredBeforeInstallation: async () =>
      (await (await get()).rebootRequiredBeforeInstallation?.()) ?? false,
    installerBusy: async () => (await get()).installerBusy(),
    close: async () => {
      if (!loading) return;
      const agent = await loading.catch(() => null);
      await agent?.close();
    },
  };
}

/** Why: a SystemPort resolved on first use, for the same reason as lazyAgent. */
export function lazySystem(load: () => Promise<SystemPort>): SystemPort {
  let loading: Promise<SystemPort> | null = null;
  const get = () => {
    loading ??= load();
    return loading;
  };
  return {
    bootTime: async () => (await get()).bootTime(),
    rebootSignals: async () => (await get()).rebootSignals(),
    now: async () => (await get()).now(),
    servicingInProgress: async () => (await get()).servicingInProgress(),
    updateService: async () =>
      (await (await get()).updateService?.()) ?? { startType: 'unknown', running: false },
    reboot: async (comment) => (await get()).reboot(comment),
  };
}
