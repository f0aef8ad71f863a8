// The ssh side of target-factory.ts: H5's SshTarget built from an inventory entry or from the
// --ssh-* flags. Kept apart so the ssh adapter's option names are mapped in one place.
import type { TargetAccess } from './ports.ts';
import type { SshSettings } from './run-plan.ts';

export type TargetFactoryFn = (server: string) => Promise<TargetAccess>;

/** Why: maps the plan's ssh settings onto the ssh adapter's constructor. */
export async function createSshTargetFactory(ssh: SshSettings): Promise<TargetFactoryFn> {
  const mod = (await import('../ssh/ssh-target.ts')) as unknown as {
    SshTarget: new (opts: Record<string, unknown>) => TargetAccess;
  };
  if (ssh.inventoryPath) {
    const inv = (await import('../ssh/inventory.ts')) as unknown as {
      loadInventory: (path: string) => Promise<unknown> | unknown;
    };
    const inventory = await inv.loadInventory(ssh.inventoryPath);
    return async (server) => new mod.SshTarget({ server, inventory });
  }
  return async (server) =>
    new mod.SshTarget({
      server,
      host: server,
      port: ssh.port ?? 22,
      user: ssh.user,
      identityPath: ssh.identityPath,
      knownHostsPath: ssh.knownHostsPath,
    });
}
