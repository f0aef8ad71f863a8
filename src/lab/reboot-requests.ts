// A client that calls for a restart (shutdown /r) leaves a request file on the host; the host
// polls for it, since the client may run as a child process (docs/lab.md "Reboots").
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { rebootRequestPath } from './wua/system.ts';

/** Why: each request file becomes one reboot with its comment; the caller clears the timer. */
export function watchRebootRequests(hostDir: string, reboot: (comment: string) => void): NodeJS.Timeout {
  const file = rebootRequestPath(hostDir);
  return setInterval(() => {
    if (!existsSync(file)) return;
    void readFile(file, 'utf8')
      .then(async (text) => {
        await rm(file, { force: true });
        reboot((JSON.parse(text) as { comment?: string }).comment ?? '');
      })
      .catch(() => {});
  }, 200);
}
