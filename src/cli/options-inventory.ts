// The ssh and winrm transports' part of `run` validation: an inventory or a user is needed, every server
// must be in the inventory (or the inventory's hosts are the servers), and a client on a share
// needs a local copy because commands inside an SSH session have no network credentials.
import type { Transport } from '../connector/run-plan.ts';
import { InputError } from '../model/input-error.ts';
import { quoteArg } from '../windows-common/schtasks-command.ts';
import { type InventoryHostInfo, inventoryFiles } from './inventory-hosts.ts';
import type { NamedPath } from './output-paths.ts';

export interface InventoryCheck {
  transport: Transport;
  inventoryPath?: string | undefined;
  user?: string | undefined;
  /** --client-file was given. */
  clientFile?: string | undefined;
  client: { clientPath: string; given: boolean };
  servers: string[];
  loadInventoryHosts?:
    | ((path: string, transport?: Transport) => Promise<Map<string, InventoryHostInfo>>)
    | undefined;
}

export interface InventoryServers {
  servers: string[];
  clientPathByServer?: Map<string, string> | undefined;
  /** Files the inventory names, which no output may be. */
  files: NamedPath[];
}

/**
 * Why: a client path goes on the task's command line through cmd.exe; one that cannot be quoted
 * safely there (`%`, a quote next to &|<>^, a line break) is a usage error now, not a failure
 * after the host is locked.
 */
export function checkCommandArg(value: string, where: string): string {
  try {
    quoteArg(value);
  } catch (err) {
    throw new InputError((err as Error).message.replace(/^command line: /, ''), where);
  }
  return value;
}

function needsClientFile(c: InventoryCheck, clientPath: string, inventoryFile?: string): boolean {
  return c.transport !== 'windows' && clientPath.startsWith('\\\\') && !c.clientFile && !inventoryFile;
}

function clientFileError(c: InventoryCheck, clientPath: string, where: string): InputError {
  const session =
    c.transport === 'winrm'
      ? 'a WinRM (NTLM) session cannot reach (it has no network credentials: the double hop)'
      : 'an SSH session cannot reach (a key-authenticated session has no network credentials)';
  return new InputError(
    `${clientPath} is on a share, which commands inside ${session}: give --client-file (a local copy of that client)${where}`,
    '--client-path',
  );
}

async function loadHosts(c: InventoryCheck, path: string): Promise<Map<string, InventoryHostInfo>> {
  try {
    return await c.loadInventoryHosts!(path, c.transport);
  } catch (err) {
    throw new InputError((err as Error).message, '--inventory');
  }
}

function matchInventory(c: InventoryCheck, hosts: Map<string, InventoryHostInfo>): InventoryServers {
  const servers = c.servers.length === 0 ? [...hosts.keys()] : c.servers;
  const byLower = new Map([...hosts].map(([k, v]) => [k.toLowerCase(), { name: k, ...v }]));
  let clientPathByServer: Map<string, string> | undefined;
  for (const s of servers) {
    const h = byLower.get(s.toLowerCase());
    if (!h)
      throw new InputError(
        `server ${s} is not in the inventory (it has: ${[...hosts.keys()].join(', ')})`,
        '--inventory',
      );
    if (!c.client.given && h.clientPath) {
      checkCommandArg(h.clientPath, `--inventory (clientPath of ${h.name})`);
      clientPathByServer ??= new Map();
      clientPathByServer.set(s, h.clientPath);
    }
    const effective = c.client.given ? c.client.clientPath : (h.clientPath ?? c.client.clientPath);
    if (needsClientFile(c, effective, h.clientFile)) {
      throw clientFileError(c, effective, ` or "clientFile" in the inventory entry of ${h.name}`);
    }
  }
  return { servers, clientPathByServer, files: inventoryFiles(hosts) };
}

/** Why: the servers to run, checked against the ssh or winrm inventory before any connection. */
export async function checkInventoryServers(c: InventoryCheck): Promise<InventoryServers> {
  if (c.transport === 'ssh' && !c.inventoryPath && !c.user) {
    throw new InputError(
      'the ssh transport needs --inventory FILE, or --ssh-user (with --ssh-identity/--ssh-known-hosts)',
      '--transport ssh',
    );
  }
  if (c.transport === 'winrm' && !c.inventoryPath)
    throw new InputError(
      "the winrm transport needs --inventory FILE (each host's winrm endpoint, user and password file)",
      '--transport winrm',
    );
  if (c.transport !== 'windows' && c.inventoryPath && c.loadInventoryHosts)
    return matchInventory(c, await loadHosts(c, c.inventoryPath));
  if (!c.inventoryPath && needsClientFile(c, c.client.clientPath))
    throw clientFileError(c, c.client.clientPath, '');
  return { servers: c.servers, files: [] };
}
