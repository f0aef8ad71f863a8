// The ssh side of target-factory.ts: the ssh adapter's SshTarget built from an inventory entry or from the
// --ssh-* flags. Kept apart so the ssh adapter's option names are mapped in one place.
import type { TargetAccess } from '../connector/ports.ts';
import type { SshSettings } from '../connector/run-plan.ts';

export type TargetFactoryFn = (server: string) => Promise<TargetAccess>;

/** Why: maps the plan's ssh settings onto the ssh adapter's constructor. */
export async function createSshTargetFactory(ssh: SshSettings): Promise<TargetFactoryFn> {
  const { SshTarget } = await import('../ssh/ssh-target.ts');
  if (ssh.inventoryPath) {
    const { loadInventory } = await import('../ssh/inventory.ts');
    const inventory = await loadInventory(ssh.inventoryPath);
    if (ssh.clientFile) {
      const clientFile = ssh.clientFile;
      inventory.hosts = inventory.hosts.map((h) => ({ ...h, clientFile }));
    }
    return async (server) => new SshTarget({ server, inventory });
  }
  return async (server) =>
    new SshTarget({
      server,
      host: server,
      port: ssh.port ?? 22,
      user: ssh.user,
      identityPath: ssh.identityPath,
      knownHostsPath: ssh.knownHostsPath,
      clientFile: ssh.clientFile,
    });
}
