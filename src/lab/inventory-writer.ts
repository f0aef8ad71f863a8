// The inventory `wsus-connector lab` writes for the connector (docs/inventory.md): one entry
// per host with its port, user, private key file (0600) and known_hosts entry.
import writeFileAtomic from 'write-file-atomic';

export interface InventoryEntry {
  name: string;
  address: string;
  port: number;
  user: string;
  identityFile: string;
  knownHosts: string;
  clientPath: string;
  /** The controller's readable copy of the client at clientPath (docs/inventory.md). */
  clientFile: string;
  /** The host's WinRM listener: HTTP endpoint, account, and a 0600 file holding its password (docs/inventory.md). */
  winrm?: { endpoint: string; user: string; passwordFile: string };
}

/** Why: the file `--inventory` reads; atomic (temp, fsync, rename), so a reader never sees half. */
export async function writeInventory(path: string, hosts: InventoryEntry[]): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify({ hosts }, null, 2)}\n`, { fsync: true });
}
