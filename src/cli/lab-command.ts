// The `wsus-connector lab` subcommand: starts the lab from a scenario file, prints where each host
// listens, runs until the signal fires (SIGINT/SIGTERM from the entry point), then stops it.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLab } from '../lab/index.ts';
import { InputError } from '../model/input-error.ts';
import type { LabRunner } from './connector-main.ts';

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

/** Why: validates the lab flags, then runs the lab until the CLI's signal fires. */
export const runLab: LabRunner = async (raw, io) => {
  let timeScale: number | undefined;
  if (raw.timeScale !== undefined) {
    timeScale = Number(raw.timeScale);
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new InputError(`"${raw.timeScale}" is not a positive number`, '--time-scale');
    }
  }
  if (!existsSync(raw.scenario)) throw new InputError(`${raw.scenario} does not exist`, '--scenario');
  return runLabCommand({
    scenarioPath: resolve(io.cwd, raw.scenario),
    inventoryPath: resolve(io.cwd, raw.inventory),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(raw.spawn ? { spawn: true } : {}),
    signal: io.signal ?? new AbortController().signal,
  });
};
