// `wsus-connector lab`: starts one emulated Windows server per scenario host on 127.0.0.1,
// writes the inventory the connector reads, and runs until stopped (docs/lab.md). A large lab
// runs its hosts in worker processes (docs/lab.md#worker-processes): the shared key and share
// file are made once (prepareLabShared), each worker starts its part (startLabPart).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LabHost } from './host.ts';
import { type InventoryEntry, writeInventory } from './inventory-writer.ts';
import { makePipeRoot } from './pipe-root.ts';
import { loadScenario, type Scenario } from './scenario.ts';
import { type KeyPair, knownHostsEntry, newKeyPair, readKeyPair, writePrivateKey } from './ssh/keys.ts';
import { writeWinrmPassword } from './winrm/password-file.ts';

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

/** What every host of one lab shares, whichever process runs it. */
export interface LabShared {
  identityFile: string;
  userKey: KeyPair;
  clientFile: string;
}

/** Why: the user key and the share's client exist once per lab, however many processes run its hosts. */
export async function prepareLabShared(labDir: string): Promise<LabShared> {
  const dir = resolve(labDir);
  await mkdir(join(dir, 'hosts'), { recursive: true });
  const userKey = newKeyPair('wsus-connector-lab');
  const identityFile = join(dir, 'id_ed25519');
  await writePrivateKey(identityFile, userKey);
  // The lab's hosts run the client by name, so the share's bytes only need to identify the build.
  const clientFile = join(dir, LAB_SHARE_CLIENT);
  await mkdir(dirname(clientFile), { recursive: true });
  await writeFile(clientFile, `wsus-client lab build for ${LAB_CLIENT_PATH}\n`);
  return { identityFile, userKey, clientFile };
}

/** Why: a worker reuses what its supervisor made, so the inventory names one identity file. */
export async function readLabShared(labDir: string): Promise<LabShared> {
  const dir = resolve(labDir);
  const identityFile = join(dir, 'id_ed25519');
  return { identityFile, userKey: await readKeyPair(identityFile), clientFile: join(dir, LAB_SHARE_CLIENT) };
}

/** Why: worker K of N (1-based) runs a contiguous share, so the parts joined keep scenario order. */
export function partIndices(total: number, k: number, n: number): number[] {
  const from = Math.floor(((k - 1) * total) / n);
  const to = Math.floor((k * total) / n);
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export interface LabPart {
  hosts: LabHost[];
  /** Inventory entries with each host's index in the scenario. */
  entries: { index: number; entry: InventoryEntry }[];
  stop(): Promise<void>;
}

interface HostsOptions {
  scenario: Scenario;
  indices: number[];
  dir: string;
  shared: LabShared;
  timeScale?: number | undefined;
  spawn?: boolean | undefined;
  onEvent?: ((message: string) => void) | undefined;
}

/** Why: one way to start hosts, for the one-process lab and for each worker's part. */
async function startHosts(o: HostsOptions): Promise<LabPart> {
  const { scenario, shared } = o;
  const timeScale = o.timeScale ?? scenario.timeScale;
  // Unix socket paths must stay under ~104 bytes, so pipes live in a short folder, in memory
  // where the machine allows it (src/lab/pipe-root.ts).
  const pipeRoot = await makePipeRoot();
  const hosts: LabHost[] = [];
  const entries: LabPart['entries'] = [];
  const stop = async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    // Only the pipe sockets go: host disks, state and keys stay for inspection.
    await pipeRoot.close();
  };
  try {
    for (const i of o.indices) {
      const h = scenario.hosts[i];
      if (!h) throw new Error(`the scenario has no host number ${i + 1}`);
      const hostKey = newKeyPair(`${h.name}-host-key`);
      const winrm = await writeWinrmPassword(join(o.dir, 'hosts', h.name));
      const host = new LabHost({
        host: h,
        catalog: scenario.catalog,
        timeScale,
        hostDir: join(o.dir, 'hosts', h.name),
        pipeDir: join(pipeRoot.path, String(i)),
        hostKey,
        user: LAB_USER,
        userPublicKey: shared.userKey.public,
        clientPath: LAB_CLIENT_PATH,
        winrmPassword: winrm.password,
        ...(o.spawn ? { spawn: true } : {}),
      });
      if (o.onEvent) host.onEvent = o.onEvent;
      hosts.push(host);
      const port = await host.start();
      entries.push({
        index: i,
        entry: {
          name: h.name,
          address: '127.0.0.1',
          port,
          user: LAB_USER,
          identityFile: shared.identityFile,
          knownHosts: knownHostsEntry('127.0.0.1', port, hostKey),
          clientPath: LAB_CLIENT_PATH,
          clientFile: shared.clientFile,
          winrm: {
            endpoint: `http://127.0.0.1:${host.winrmPort}/wsman`,
            user: LAB_USER,
            passwordFile: winrm.file,
          },
        },
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { hosts, entries, stop };
}

/** Why: the scenario is validated in full before any host starts; then every host listens. */
export async function startLab(o: StartLabOptions): Promise<Lab> {
  const scenario = await loadScenario(o.scenarioPath);
  const dir = resolve(o.dir);
  const shared = await prepareLabShared(dir);
  const part = await startHosts({
    scenario,
    indices: scenario.hosts.map((_, i) => i),
    dir,
    shared,
    timeScale: o.timeScale,
    spawn: o.spawn,
    onEvent: o.onEvent,
  });
  try {
    await mkdir(dirname(resolve(o.inventoryPath)), { recursive: true });
    await writeInventory(
      o.inventoryPath,
      part.entries.map((e) => e.entry),
    );
  } catch (err) {
    await part.stop();
    throw err;
  }
  return { hosts: part.hosts, inventoryPath: o.inventoryPath, stop: part.stop };
}

export interface StartLabPartOptions {
  scenarioPath: string;
  /** The lab dir whose key and share file prepareLabShared made. */
  dir: string;
  /** 1-based K of N. */
  part: { index: number; count: number };
  timeScale?: number | undefined;
  spawn?: boolean;
  onEvent?: (message: string) => void;
}

/** Why: a worker process starts only its share of the hosts and writes no inventory. */
export async function startLabPart(o: StartLabPartOptions): Promise<LabPart> {
  const scenario = await loadScenario(o.scenarioPath);
  const dir = resolve(o.dir);
  return startHosts({
    scenario,
    indices: partIndices(scenario.hosts.length, o.part.index, o.part.count),
    dir,
    shared: await readLabShared(dir),
    timeScale: o.timeScale,
    spawn: o.spawn,
    onEvent: o.onEvent,
  });
}
