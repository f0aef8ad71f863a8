// Lists an ssh (or winrm) inventory's hosts for up-front validation (every --server must be in it),
// through the adapter's own loader so both read the file the same way.
import type { Transport } from '../connector/run-plan.ts';
import type { NamedPath } from './output-paths.ts';

/** What validation needs of one inventory host: its client path and the files it names. */
export interface InventoryHostInfo {
  clientPath?: string | undefined;
  clientFile?: string | undefined;
  /** The controller files the entry names (key, known_hosts, password, client copy): never an output. */
  files?: NamedPath[] | undefined;
}

/** Why: host names (and any per-host client path) without opening a connection. */
export async function listInventoryHosts(
  path: string,
  transport: Transport = 'ssh',
): Promise<Map<string, InventoryHostInfo>> {
  const inv =
    transport === 'winrm'
      ? await (await import('../winrm/inventory.ts')).loadWinRmInventory(path)
      : await (await import('../ssh/inventory.ts')).loadInventory(path);
  const out = new Map<string, InventoryHostInfo>();
  for (const h of inv.hosts) {
    const named: Record<string, unknown> = { ...h };
    const files = ['identityFile', 'knownHostsFile', 'clientFile'].flatMap((k) => {
      const file = named[k];
      return typeof file === 'string' && file
        ? [{ flag: `--inventory (${k} of ${h.name})`, path: file }]
        : [];
    });
    out.set(h.name, { clientPath: h.clientPath, clientFile: h.clientFile, files });
  }
  return out;
}

/** Why: every controller file an inventory names, for the output check (output-paths.ts). */
export function inventoryFiles(hosts: Map<string, InventoryHostInfo>): NamedPath[] {
  return [...hosts.values()].flatMap((h) => h.files ?? []);
}
