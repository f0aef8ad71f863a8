// Each lab host's WinRM account gets its own random password, kept in a 0600 file the inventory
// names, never in argv or the inventory body (docs/inventory.md).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Why: a fresh per-host password, written where only this user can read it. */
export async function writeWinrmPassword(hostDir: string): Promise<{ password: string; file: string }> {
  await mkdir(hostDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  const file = join(hostDir, 'winrm-password');
  await writeFile(file, password, { mode: 0o600 });
  return { password, file };
}
