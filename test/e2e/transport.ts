// Which transport the end-to-end tests drive the lab over: ssh by default, winrm with
// E2E_TRANSPORT=winrm (the lab serves both on every host), and the real adapter for each with
// bounds a test can wait for.

import { createWinRmTargetFactory } from '../../src/cli/winrm-target-factory.ts';
import type { TargetAccess } from '../../src/connector/ports.ts';
import { loadInventory } from '../../src/ssh/inventory.ts';
import { SshTarget } from '../../src/ssh/ssh-target.ts';

export type E2eTransport = 'ssh' | 'winrm';

export const E2E_TRANSPORT: E2eTransport = process.env.E2E_TRANSPORT === 'winrm' ? 'winrm' : 'ssh';

/** Why: the chaos test's short bounds, the same for both transports where they mean the same. */
export async function boundedTargets(
  inventoryPath: string,
  transport: E2eTransport = E2E_TRANSPORT,
): Promise<(server: string) => Promise<TargetAccess>> {
  if (transport === 'winrm')
    return createWinRmTargetFactory(
      { inventoryPath },
      {
        connectMs: 3000,
        commandMs: 3000,
        operationTimeoutS: 2,
        receiveTimeoutS: 2,
        graceMs: 1500,
        retryWindowMs: 8000,
        connectWaitMs: 8000,
      },
    );
  const inventory = await loadInventory(inventoryPath);
  return async (s) =>
    new SshTarget({
      server: s,
      inventory,
      limits: { connectMs: 3000, requestMs: 1500, execMs: 3000, retryWindowMs: 8000, connectWaitMs: 8000 },
    });
}
