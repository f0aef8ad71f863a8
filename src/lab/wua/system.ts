// The lab host's SystemPort: boot time, pending reboot and servicing from the host state; a
// reboot request goes to the lab's power control (in-process hook, or a file it watches).
import { writeFile } from 'node:fs/promises';
import type { SystemPort } from '../../client/ports.ts';
import { bootTimeFromCim } from '../../model/boot-time.ts';
import { labLastBootUpTime } from '../local-time.ts';
import { fileStateStore, isRebootPending, type LabStateStore, statePath } from './state.ts';

const WINDOWS_PROCESSES = [
  'System',
  'smss.exe',
  'csrss.exe',
  'wininit.exe',
  'services.exe',
  'lsass.exe',
  'svchost.exe',
];

/** Why: the file a client in a separate process drops to ask the lab for a reboot. */
export function rebootRequestPath(hostDir: string): string {
  return statePath(hostDir, 'reboot-request.json');
}

/** Why: the SystemPort of a lab host's client. */
export function createLabSystem(hostDir: string, requestReboot?: (comment: string) => void): SystemPort {
  return labSystem(
    fileStateStore(hostDir),
    Date.now,
    requestReboot ??
      ((comment) =>
        writeFile(rebootRequestPath(hostDir), JSON.stringify({ comment, at: new Date().toISOString() }))),
  );
}

/** Why: the same SystemPort over any state store and clock (the connector's fast tests). */
export function labSystem(
  store: LabStateStore,
  now: () => number,
  requestReboot: (comment: string) => void | Promise<void>,
): SystemPort {
  return {
    async bootTime() {
      // The host's WMI answers LastBootUpTime as a CIM DATETIME; the client converts it exactly.
      return bootTimeFromCim(labLastBootUpTime(await store.read()));
    },
    async rebootSignals() {
      const s = await store.read();
      // Installs waiting for a reboot set both CBS's and WU's keys, as on a real server.
      const pending = isRebootPending(s);
      return {
        cbsRebootPending: pending,
        wuRebootRequired: pending,
        fileRenamesPending: s.fileRenamesPending,
        computerRenamePending: false,
      };
    },
    async now() {
      // The host's clock, skew included: what `Get-Date` would say there.
      return new Date(now() + ((await store.read()).clockSkewMs ?? 0)).toISOString();
    },
    async servicingInProgress() {
      const s = await store.read();
      return s.servicingUntilMs !== null && now() < s.servicingUntilMs;
    },
    async updateService() {
      const s = await store.read();
      const mode = s.wuauserv ?? 'running';
      if (mode === 'running') return { startType: 'automatic', running: true };
      return { startType: mode, running: mode === 'manual' && s.wuauservStarted === true };
    },
    async reboot(comment) {
      await requestReboot(comment);
    },
    async freeDiskMB() {
      return (await store.read()).freeDiskMB ?? 51_200;
    },
    async resetUpdateStore() {
      // The folders are renamed, so what was downloaded is gone with them.
      const n = await store.update((s) => {
        s.wuStoreCorrupt = false;
        s.downloaded = [];
        s.storeResets = (s.storeResets ?? 0) + 1;
        return s.storeResets;
      });
      const old = n === 1 ? '.old' : `.old${n}`;
      return [
        'stopped wuauserv, bits, cryptsvc',
        `renamed SoftwareDistribution to SoftwareDistribution${old} and catroot2 to catroot2${old}`,
        'started wuauserv, bits, cryptsvc',
      ];
    },
    async processNames() {
      // Windows' own processes always run; the scenario names the rest.
      return [...WINDOWS_PROCESSES, ...((await store.read()).processes ?? [])];
    },
  };
}
