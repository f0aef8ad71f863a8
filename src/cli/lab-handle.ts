// The lab, as `npm start` and the bench use it in-process: started from a scenario file, writing
// an inventory, stopped at the end. The only place that knows the lab module's entry point.

export interface LabHandle {
  inventoryPath: string;
  stop(): Promise<void>;
}

export interface LabStart {
  scenarioPath: string;
  inventoryPath: string;
  /** Working folder for the hosts' disks and credentials. */
  dir: string;
  timeScale?: number | undefined;
}

/** Why: starts the lab (src/lab) in this process; a dynamic import keeps it out of normal runs. */
export async function startLabInProcess(opts: LabStart): Promise<LabHandle> {
  const { startLab } = await import('../lab/index.ts');
  const handle = await startLab(opts);
  return { inventoryPath: opts.inventoryPath, stop: () => handle.stop() };
}
