// Lists an ssh inventory's hosts for up-front validation (every --server must be in it), through
// the ssh adapter's own loader so both read the file the same way.

/** Why: host names (and any per-host client path) without opening a connection. */
export async function listInventoryHosts(
  path: string,
): Promise<Map<string, { clientPath?: string | undefined; clientFile?: string | undefined }>> {
  const { loadInventory } = await import('../ssh/inventory.ts');
  const inv = await loadInventory(path);
  const out = new Map<string, { clientPath?: string | undefined; clientFile?: string | undefined }>();
  for (const h of inv.hosts) out.set(h.name, { clientPath: h.clientPath, clientFile: h.clientFile });
  return out;
}
