// Builds the TargetAccess adapter for a server from the plan: the ssh adapter (inventory or
// --ssh-* flags), the winrm adapter (inventory) or the windows adapter. Dynamic imports, so a POSIX run never loads Windows
// code and the orchestration never depends on an adapter.
import type { TargetAccess } from '../connector/ports.ts';
import type { RunPlan } from '../connector/run-plan.ts';

export type TargetFactory = (server: string) => Promise<TargetAccess>;

/** Why: one switch from transport to adapter, resolved once per run. */
export async function createTargetFactory(plan: RunPlan, env: NodeJS.ProcessEnv): Promise<TargetFactory> {
  if (plan.transport === 'windows') {
    const { createWindowsTargetAccess } = await import('../windows/target-access.ts');
    const { loadWindowsCredentials } = await import('../windows/credentials.ts');
    const credentials = loadWindowsCredentials(env, { file: plan.windows.credentialFile });
    return async (server) => createWindowsTargetAccess({ server, credentials });
  }
  if (plan.transport === 'winrm') {
    const { createWinRmTargetFactory } = await import('./winrm-target-factory.ts');
    return createWinRmTargetFactory(plan.ssh);
  }
  const { createSshTargetFactory } = await import('./ssh-target-factory.ts');
  return createSshTargetFactory(plan.ssh);
}
