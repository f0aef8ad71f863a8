// The lab host's SystemPort: boot time, pending reboot and servicing from the host state; a
// reboot request goes to the lab's power control (in-process hook, or a file it watches).
import { writeFile } from 'node:fs/promises';
import type { SystemPort } from '../../client/ports.ts';
import { isoInZone } from '../local-time.ts';
import { fileStateStore, isRebootPending, type LabStateStore, statePath } from './state.ts';

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
      const s = await store.read();
      return isoInZone(s.bootTimeMs, s.timeZone);
    },
    async rebootPending() {
      return isRebootPending(await store.read());
    },
    async servicingInProgress() {
      const s = await store.read();
      return s.servicingUntilMs !== null && now() < s.servicingUntilMs;
    },
    async reboot(comment) {
      await requestReboot(comment);
    },
  };
}
