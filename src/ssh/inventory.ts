// The ssh transport's inventory file (docs/inventory.md): one entry per host with its address,
// user, private key file and known_hosts entry. `wsus-connector lab` writes one; operators can too.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../model/input-error.ts';
import { parseInventoryFile } from '../remote-common/inventory-json.ts';

export const inventoryHostSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'a host name'),
    address: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1),
    identityFile: z.string().min(1),
    /** known_hosts entry text (one or more lines). */
    knownHosts: z.string().min(1).optional(),
    /** Or a known_hosts file. */
    knownHostsFile: z.string().min(1).optional(),
    clientPath: z.string().min(1).optional(),
    /**
     * A copy of the client at clientPath that this controller can read (e.g. the share mounted
     * here): staged on the target for the commands that run inside the SSH session.
     */
    clientFile: z.string().min(1).optional(),
    /** The winrm transport's entry: allowed here, checked by src/winrm/inventory.ts. */
    winrm: z.unknown().optional(),
  })
  .refine((h) => h.knownHosts !== undefined || h.knownHostsFile !== undefined, {
    message: 'needs knownHosts (a known_hosts entry) or knownHostsFile: host keys are always verified',
  });
export type InventoryHost = z.infer<typeof inventoryHostSchema>;

export const inventorySchema = z.strictObject({ hosts: z.array(inventoryHostSchema).min(1) });
export interface Inventory {
  path: string;
  hosts: InventoryHost[];
}

/** Why: validated in full before any connection, with paths resolved against the file's folder. */
export async function loadInventory(path: string): Promise<Inventory> {
  const data = parseInventoryFile(path, inventorySchema);
  const seen = new Set<string>();
  const base = dirname(resolve(path));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const hosts = data.hosts.map((h, i) => {
    const key = h.name.toLowerCase();
    if (seen.has(key)) throw new InputError(`$.hosts[${i}].name: "${h.name}" appears twice`, path);
    seen.add(key);
    // Found now, before any host is contacted: without it no host key can be checked.
    if (h.knownHostsFile && !existsSync(abs(h.knownHostsFile)))
      throw new InputError(`$.hosts[${i}].knownHostsFile: ${abs(h.knownHostsFile)} does not exist`, path);
    return {
      ...h,
      identityFile: abs(h.identityFile),
      ...(h.knownHostsFile ? { knownHostsFile: abs(h.knownHostsFile) } : {}),
      ...(h.clientFile ? { clientFile: abs(h.clientFile) } : {}),
    };
  });
  return { path, hosts };
}
