// The winrm transport's view of an inventory file (docs/inventory.md "WinRM entries"): each host's
// `winrm` entry with its listener URL, user and password file, read and checked in full before
// any host is contacted. The same file may carry the ssh fields too (the lab writes both).
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../model/input-error.ts';
import { parseInventoryFile } from '../remote-common/inventory-json.ts';
import type { WinRmEndpoint } from './winrm-connection.ts';

const winrmEntrySchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }),
  user: z.string().min(1),
  /** A file holding the password alone (mode 0600); the password is never in the inventory. */
  passwordFile: z.string().min(1),
  auth: z.enum(['ntlm', 'basic']).default('ntlm'),
  /** HTTPS: PEM file of the CA the listener's certificate chains to. */
  caFile: z.string().min(1).optional(),
  /** HTTPS: the listener certificate's thumbprint (SHA-1 as Windows shows it, or SHA-256). */
  thumbprint: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:?){20}$|^([0-9A-Fa-f]{2}:?){32}$/, 'a SHA-1 or SHA-256 thumbprint in hex')
    .optional(),
  /** HTTPS: accept any certificate. Only for a lab; the name says what it does. */
  insecureSkipVerify: z.boolean().optional(),
});

const hostSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'a host name'),
  winrm: winrmEntrySchema,
  clientPath: z.string().min(1).optional(),
  clientFile: z.string().min(1).optional(),
  // The ssh transport's fields, allowed so one inventory serves both (src/ssh/inventory.ts checks them).
  address: z.string().optional(),
  port: z.number().optional(),
  user: z.string().optional(),
  identityFile: z.string().optional(),
  knownHosts: z.string().optional(),
  knownHostsFile: z.string().optional(),
});

const inventorySchema = z.strictObject({ hosts: z.array(hostSchema).min(1) });

export interface WinRmInventoryHost {
  name: string;
  endpoint: WinRmEndpoint;
  clientPath?: string | undefined;
  clientFile?: string | undefined;
}

/** Why: an endpoint's secrets and files read now, so a bad entry fails before any host is touched. */
async function endpointOf(
  h: z.infer<typeof hostSchema>,
  at: string,
  path: string,
  abs: (p: string) => string,
): Promise<WinRmEndpoint> {
  const w = h.winrm;
  const url = new URL(w.endpoint);
  if (w.auth === 'basic' && url.protocol !== 'https:')
    throw new InputError(`${at}.auth: basic sends the password in the clear; use https or ntlm`, path);
  const pwPath = abs(w.passwordFile);
  let mode: number;
  try {
    mode = statSync(pwPath).mode;
  } catch {
    throw new InputError(`${at}.passwordFile: ${pwPath} does not exist`, path);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new InputError(`${at}.passwordFile: ${pwPath} is readable by others; make it mode 0600`, path);
  const password = (await readFile(pwPath, 'utf8')).replace(/\r?\n$/, '');
  if (password === '') throw new InputError(`${at}.passwordFile: ${pwPath} is empty`, path);
  const tls =
    url.protocol === 'https:'
      ? {
          ...(w.caFile ? { ca: await readFile(abs(w.caFile)) } : {}),
          ...(w.thumbprint ? { thumbprint: w.thumbprint } : {}),
          ...(w.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
        }
      : undefined;
  return { server: h.name, url, user: w.user, password, auth: w.auth, ...(tls ? { tls } : {}) };
}

/** Why: the hosts with their WinRM endpoints, every problem named by its JSON path. */
export async function loadWinRmInventory(
  path: string,
): Promise<{ path: string; hosts: WinRmInventoryHost[] }> {
  const data = parseInventoryFile(path, inventorySchema);
  const base = dirname(resolve(path));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const seen = new Set<string>();
  const hosts: WinRmInventoryHost[] = [];
  for (const [i, h] of data.hosts.entries()) {
    const key = h.name.toLowerCase();
    if (seen.has(key)) throw new InputError(`$.hosts[${i}].name: "${h.name}" appears twice`, path);
    seen.add(key);
    hosts.push({
      name: h.name,
      endpoint: await endpointOf(h, `$.hosts[${i}].winrm`, path, abs),
      clientPath: h.clientPath,
      clientFile: h.clientFile ? abs(h.clientFile) : undefined,
    });
  }
  return { path, hosts };
}
