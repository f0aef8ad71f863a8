// Where an SshTarget connects: an inventory entry, or the --ssh-* flags with OpenSSH's defaults.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TargetError } from '../connector/ports.ts';
import type { SshLimits } from './bounded.ts';
import type { Inventory } from './inventory.ts';
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

/** Why: the endpoint from an inventory entry or from the --ssh-* flags and OpenSSH defaults. */
export function endpointOf(o: SshTargetOptions): SshEndpoint {
  if ('inventory' in o) {
    const h = o.inventory.hosts.find((x) => x.name.toLowerCase() === o.server.toLowerCase());
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
