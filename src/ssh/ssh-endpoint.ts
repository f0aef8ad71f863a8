// Where an SshTarget connects: an inventory entry, or the --ssh-* flags with OpenSSH's defaults.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TargetError } from '../connector/ports.ts';
import type { SshLimits } from './bounded.ts';
import type { Inventory, InventoryHost } from './inventory.ts';
import type { SshEndpoint } from './ssh-connect.ts';

interface CommonOptions {
  server: string;
  /** Deadlines and retry bounds; the defaults suit real hosts. */
  limits?: Partial<SshLimits>;
}

export type SshTargetOptions =
  | (CommonOptions & { inventory: Inventory })
  | (CommonOptions & {
      host: string;
      port?: number;
      user?: string | undefined;
      identityPath?: string | undefined;
      knownHostsPath?: string | undefined;
      clientFile?: string | undefined;
    });

/**
 * Each host list's entries by lower-case name (the first entry of a name wins, as a search
 * would). Keyed by the list, not the inventory: a caller that replaces `inventory.hosts` (the
 * ssh target factory adds each host's client copy that way) gets a map of the new list.
 */
const byName = new WeakMap<readonly InventoryHost[], Map<string, InventoryHost>>();

/** Why: a fleet looks up each of its servers once; a search of the whole list each time was O(N²). */
function inventoryHost(hosts: readonly InventoryHost[], server: string): InventoryHost | undefined {
  let names = byName.get(hosts);
  if (!names) {
    names = new Map();
    for (const h of hosts) {
      const key = h.name.toLowerCase();
      if (!names.has(key)) names.set(key, h);
    }
    byName.set(hosts, names);
  }
  return names.get(server.toLowerCase());
}

/** Why: the endpoint from an inventory entry or from the --ssh-* flags and OpenSSH defaults. */
export function endpointOf(o: SshTargetOptions): SshEndpoint {
  if ('inventory' in o) {
    const h = inventoryHost(o.inventory.hosts, o.server);
    if (!h) throw new TargetError('unreachable', `${o.server} is not in the inventory ${o.inventory.path}`);
    return {
      server: o.server,
      host: h.address,
      port: h.port,
      user: h.user,
      identityPath: h.identityFile,
      ...(h.knownHosts ? { knownHosts: h.knownHosts } : {}),
      ...(h.knownHostsFile ? { knownHostsPath: h.knownHostsFile } : {}),
      ...(h.clientFile ? { clientFile: h.clientFile } : {}),
    };
  }
  return {
    server: o.server,
    host: o.host,
    port: o.port ?? 22,
    user: o.user ?? process.env.USER ?? 'Administrator',
    identityPath: o.identityPath ?? join(homedir(), '.ssh', 'id_ed25519'),
    knownHostsPath: o.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts'),
    ...(o.clientFile ? { clientFile: o.clientFile } : {}),
  };
}
