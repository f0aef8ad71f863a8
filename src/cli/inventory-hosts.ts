// Lists an ssh inventory's hosts for up-front validation (every --server must be in it), through
// the ssh adapter's own loader so both read the file the same way.
import type { NamedPath } from './output-paths.ts';

/** What validation needs of one inventory host: its client path and the files it names. */
export interface InventoryHostInfo {
  clientPath?: string | undefined;
  clientFile?: string | undefined;
  /** The controller files the entry names (key, known_hosts, client copy): never an output. */
  files?: NamedPath[] | undefined;
}

/** Why: host names (and any per-host client path) without opening a connection. */
export async function listInventoryHosts(path: string): Promise<Map<string, InventoryHostInfo>> {
  const { loadInventory } = await import('../ssh/inventory.ts');
  const inv = await loadInventory(path);
  const out = new Map<string, InventoryHostInfo>();
  for (const h of inv.hosts) {
    const files = (['identityFile', 'knownHostsFile', 'clientFile'] as const).flatMap((k) => {
      const file = h[k];
      return file ? [{ flag: `--inventory (${k} of ${h.name})`, path: file }] : [];
    });
    out.set(h.name, { clientPath: h.clientPath, clientFile: h.clientFile, files });
  }
  return out;
}

/** Why: every controller file an inventory names, for the output check (output-paths.ts). */
export function inventoryFiles(hosts: Map<string, InventoryHostInfo>): NamedPath[] {
  return [...hosts.values()].flatMap((h) => h.files ?? []);
}
