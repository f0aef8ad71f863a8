// A whole lab in a temp folder for a test: the scenario written from an object, the lab started
// in this process, the inventory it wrote read back, and one close() that stops and removes all.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Lab, startLab } from '../../src/lab/index.ts';

export interface InventoryHostJson {
  name: string;
  port: number;
  user: string;
  identityFile: string;
  knownHosts: string;
  clientPath: string;
  clientFile: string;
}

export interface TempLab {
  dir: string;
  lab: Lab;
  inventory: string;
  hosts: InventoryHostJson[];
  close(): Promise<void>;
}

/** Why: every lab-backed test starts and cleans up its lab the same way. */
export async function tempLab(scenario: unknown, opts: { spawn?: boolean } = {}): Promise<TempLab> {
  const dir = mkdtempSync(join(tmpdir(), 'wsus-lab-test-'));
  const scenarioPath = join(dir, 'scenario.json');
  writeFileSync(scenarioPath, JSON.stringify(scenario));
  const inventory = join(dir, 'inventory.json');
  const lab = await startLab({ scenarioPath, inventoryPath: inventory, dir: join(dir, 'lab'), ...opts });
  const hosts = (JSON.parse(readFileSync(inventory, 'utf8')) as { hosts: InventoryHostJson[] }).hosts;
  return {
    dir,
    lab,
    inventory,
    hosts,
    async close() {
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
