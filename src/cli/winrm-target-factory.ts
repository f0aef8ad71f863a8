// The winrm side of target-factory.ts: a WinRmTarget per server from its inventory entry (the
// password is read from the entry's passwordFile once, when the inventory is loaded).
import type { TargetAccess } from '../connector/ports.ts';
import { TargetError } from '../connector/ports.ts';
import type { SshSettings } from '../connector/run-plan.ts';
import { InputError } from '../model/input-error.ts';
import type { WinRmLimits } from '../winrm/winrm-limits.ts';

/** Why: maps the plan's inventory and connect settings onto the winrm adapter's constructor. */
export async function createWinRmTargetFactory(
  settings: SshSettings,
  limits: Partial<WinRmLimits> = {},
): Promise<(server: string) => Promise<TargetAccess>> {
  if (!settings.inventoryPath)
    throw new InputError('the winrm transport needs --inventory FILE', '--inventory');
  const { WinRmTarget } = await import('../winrm/winrm-target.ts');
  const { loadWinRmInventory } = await import('../winrm/inventory.ts');
  const inventory = await loadWinRmInventory(settings.inventoryPath);
  const byName = new Map(inventory.hosts.map((h) => [h.name.toLowerCase(), h]));
  const all = {
    ...limits,
    ...(settings.connectTimeoutMs === undefined ? {} : { connectWaitMs: settings.connectTimeoutMs }),
  };
  return async (server) => {
    const h = byName.get(server.toLowerCase());
    if (!h) throw new TargetError('unreachable', `${server} is not in the inventory ${inventory.path}`);
    return new WinRmTarget({
      server,
      endpoint: { ...h.endpoint, server },
      clientFile: settings.clientFile ?? h.clientFile,
      limits: all,
    });
  };
}
