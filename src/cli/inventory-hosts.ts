// Lists an ssh (or winrm) inventory's hosts for up-front validation (every --server must be in it),
// through the adapter's own loader so both read the file the same way.
import type { Transport } from '../connector/run-plan.ts';

/** Why: host names (and any per-host client path) without opening a connection. */
export async function listInventoryHosts(
  path: string,
  transport: Transport = 'ssh',
): Promise<Map<string, { clientPath?: string | undefined; clientFile?: string | undefined }>> {
  const inv =
    transport === 'winrm'
      ? await (await import('../winrm/inventory.ts')).loadWinRmInventory(path)
      : await (await import('../ssh/inventory.ts')).loadInventory(path);
  const out = new Map<string, { clientPath?: string | undefined; clientFile?: string | undefined }>();
  for (const h of inv.hosts) out.set(h.name, { clientPath: h.clientPath, clientFile: h.clientFile });
  return out;
}
