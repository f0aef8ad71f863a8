// The `wsus-connector lab` subcommand: starts the lab from a scenario file, prints where each host
// listens, runs until the signal fires (SIGINT/SIGTERM from the entry point), then stops it.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { startLab } from '../lab/index.ts';
import { loadScenario } from '../lab/scenario.ts';
import { InputError } from '../model/input-error.ts';
import type { LabRunner } from './connector-main.ts';
import { runLabSupervisor } from './lab-supervisor.ts';
import { parsePart, runLabWorker } from './lab-worker.ts';
import { checkOutputs, namedPaths } from './output-paths.ts';

export interface RunLabOptions {
  scenarioPath: string;
  inventoryPath: string;
  timeScale?: number;
  spawn?: boolean;
  signal: AbortSignal;
  out?: NodeJS.WritableStream;
}

/** Why: the `lab` subcommand: start, print where things are, run until SIGINT/SIGTERM, stop. */
export async function runLabCommand(o: RunLabOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const dir = `${resolve(o.inventoryPath)}.lab`;
  const lab = await startLab({
    scenarioPath: o.scenarioPath,
    inventoryPath: o.inventoryPath,
    dir,
    timeScale: o.timeScale,
    ...(o.spawn ? { spawn: true } : {}),
    onEvent: (m) => out.write(`${new Date().toISOString()} ${m}\n`),
  });
  for (const h of lab.hosts) out.write(`${h.name.padEnd(20)} ssh on 127.0.0.1:${h.port}\n`);
  out.write(`Inventory: ${resolve(o.inventoryPath)}\nHost folders: ${dir}\nPress Ctrl+C to stop.\n`);
  const signal = o.signal;
  await new Promise<void>((r) =>
    signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true }),
  );
  out.write('Stopping the lab (host folders are kept).\n');
  await lab.stop();
  return 0;
}

/** Hosts one worker process is meant for when --workers is auto (docs/lab.md#worker-processes). */
const HOSTS_PER_WORKER = 100;

/** Why: --workers is checked before the scenario is read, and never exceeds the hosts to run. */
export function parseWorkers(raw: string | undefined): number | 'auto' {
  if (raw === undefined || raw === 'auto') return 'auto';
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1)) throw new InputError(`"${raw}" is not a whole number of at least 1 or "auto"`, '--workers');
  return n;
}

/**
 * Why: auto keeps a small lab in one process and leaves one CPU to the connector: on 2 cores a
 * second worker made the 1,000-host bench slower (48.9 s against 46 s), the processes costing
 * each other CPU (docs/lab.md "Worker processes").
 */
export function workerCount(workers: number | 'auto', hosts: number, cpus = availableParallelism()): number {
  const n = workers === 'auto' ? Math.min(cpus - 1, Math.ceil(hosts / HOSTS_PER_WORKER)) : workers;
  return Math.max(1, Math.min(n, hosts));
}

/** Why: validates the lab flags, then runs the lab until the CLI's signal fires. */
export const runLab: LabRunner = async (raw, io) => {
  let timeScale: number | undefined;
  if (raw.timeScale !== undefined) {
    timeScale = Number(raw.timeScale);
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new InputError(`"${raw.timeScale}" is not a positive number`, '--time-scale');
    }
  }
  const workers = parseWorkers(raw.workers);
  const part = raw.part === undefined ? undefined : parsePart(raw.part);
  if (!existsSync(resolve(io.cwd, raw.scenario)))
    throw new InputError(`${raw.scenario} does not exist`, '--scenario');
  // The lab writes the inventory: never over the scenario it reads, nor in an unwritable folder.
  checkOutputs(
    namedPaths(raw, [['--inventory', 'inventory']], io.cwd),
    namedPaths(raw, [['--scenario', 'scenario']], io.cwd),
  );
  const common = {
    scenarioPath: resolve(io.cwd, raw.scenario),
    inventoryPath: resolve(io.cwd, raw.inventory),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(raw.spawn ? { spawn: true } : {}),
    signal: io.signal ?? new AbortController().signal,
  };
  if (part) return runLabWorker({ ...common, part });
  // Validated once here, with the same errors as a one-process lab, before any worker starts.
  const hostCount = (await loadScenario(common.scenarioPath)).hosts.length;
  const count = workerCount(workers, hostCount);
  if (count === 1) return runLabCommand(common);
  return runLabSupervisor({ ...common, workers: count, hostCount, out: io.stdout, err: io.stderr });
};
