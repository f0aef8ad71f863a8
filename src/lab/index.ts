// `wsus-connector lab`: starts one emulated Windows server per scenario host on 127.0.0.1,
// writes the inventory the connector reads, and runs until stopped (docs/lab.md).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LabHost } from './host.ts';
import { type InventoryEntry, writeInventory } from './inventory-writer.ts';
import { loadScenario } from './scenario.ts';
import { knownHostsEntry, newKeyPair, writePrivateKey } from './ssh/keys.ts';

export const LAB_USER = 'Administrator';
export const LAB_CLIENT_PATH = '\\\\labshare\\wsus\\wsus-client.exe';
/** The share's client as the controller reads it (a mount of \\labshare\wsus), relative to the lab dir. */
export const LAB_SHARE_CLIENT = join('share', 'wsus', 'wsus-client.exe');

export interface StartLabOptions {
  scenarioPath: string;
  inventoryPath: string;
  /** Where the hosts' disks, state and the key live (kept after stop). */
  dir: string;
  timeScale?: number | undefined;
  spawn?: boolean;
  onEvent?: (message: string) => void;
}

export interface Lab {
  hosts: LabHost[];
  inventoryPath: string;
  stop(): Promise<void>;
}

/** Why: the scenario is validated in full before any host starts; then every host listens. */
export async function startLab(o: StartLabOptions): Promise<Lab> {
  const scenario = await loadScenario(o.scenarioPath);
  const timeScale = o.timeScale ?? scenario.timeScale;
  const dir = resolve(o.dir);
  await mkdir(join(dir, 'hosts'), { recursive: true });
  // Unix socket paths must stay under ~104 bytes, so pipes live in a short temp folder.
  const pipeRoot = await mkdtemp(join(tmpdir(), 'wsl-'));
  const userKey = newKeyPair('wsus-connector-lab');
  const identityFile = join(dir, 'id_ed25519');
  await writePrivateKey(identityFile, userKey);
  // The lab's hosts run the client by name, so the share's bytes only need to identify the build.
  const clientFile = join(dir, LAB_SHARE_CLIENT);
  await mkdir(dirname(clientFile), { recursive: true });
  await writeFile(clientFile, `wsus-client lab build for ${LAB_CLIENT_PATH}\n`);

  const hosts: LabHost[] = [];
  const entries: InventoryEntry[] = [];
  try {
    for (const [i, h] of scenario.hosts.entries()) {
      const hostKey = newKeyPair(`${h.name}-host-key`);
      const host = new LabHost({
        host: h,
        catalog: scenario.catalog,
        timeScale,
        hostDir: join(dir, 'hosts', h.name),
        pipeDir: join(pipeRoot, String(i)),
        hostKey,
        user: LAB_USER,
        userPublicKey: userKey.public,
        clientPath: LAB_CLIENT_PATH,
        ...(o.spawn ? { spawn: true } : {}),
      });
      if (o.onEvent) host.onEvent = o.onEvent;
      hosts.push(host);
      const port = await host.start();
      entries.push({
        name: h.name,
        address: '127.0.0.1',
        port,
        user: LAB_USER,
        identityFile,
        knownHosts: knownHostsEntry('127.0.0.1', port, hostKey),
        clientPath: LAB_CLIENT_PATH,
        clientFile,
      });
    }
    await mkdir(dirname(resolve(o.inventoryPath)), { recursive: true });
    await writeInventory(o.inventoryPath, entries);
  } catch (err) {
    await Promise.all(hosts.map((h) => h.stop()));
    await rm(pipeRoot, { recursive: true, force: true });
    throw err;
  }
  return {
    hosts,
    inventoryPath: o.inventoryPath,
    stop: async () => {
      await Promise.all(hosts.map((h) => h.stop()));
      // Only the pipe sockets go: host disks, state and keys stay for inspection.
      await rm(pipeRoot, { recursive: true, force: true });
    },
  };
}
