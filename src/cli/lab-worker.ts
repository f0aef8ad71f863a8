// One worker process of `wsus-connector lab --workers N` (docs/lab.md#worker-processes): runs its
// share of the scenario's hosts with the key its supervisor made, reports its inventory entries and
// event lines over the IPC channel, and stops on the supervisor's word, a signal, or the channel
// closing (the supervisor died).
import { resolve } from 'node:path';
import { startLabPart } from '../lab/index.ts';
import type { InventoryEntry } from '../lab/inventory-writer.ts';
import { InputError } from '../model/input-error.ts';

/** What a worker tells its supervisor. */
export type WorkerMessage =
  | { type: 'event'; line: string }
  | { type: 'ready'; entries: { index: number; entry: InventoryEntry }[] }
  | { type: 'error'; message: string };

/** What a supervisor tells a worker. */
export type SupervisorMessage = { type: 'stop' };

export interface RunLabWorkerOptions {
  scenarioPath: string;
  inventoryPath: string;
  part: { index: number; count: number };
  timeScale?: number | undefined;
  spawn?: boolean;
  signal: AbortSignal;
}

/** Why: "K/N" of the hidden --part option, checked like every other flag. */
export function parsePart(raw: string): { index: number; count: number } {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || index > count)
    throw new InputError(`"${raw}" is not K/N with 1 <= K <= N`, '--part');
  return { index, count };
}

/** Why: a message to a supervisor that is gone is dropped, never an exception in an event handler. */
function send(message: WorkerMessage): Promise<void> {
  return new Promise((r) => {
    if (!process.send || !process.connected) return r();
    process.send(message, undefined, {}, () => r());
  });
}

/** Why: the worker side of `lab --workers`; the supervisor writes the one inventory. */
export async function runLabWorker(o: RunLabWorkerOptions): Promise<number> {
  if (!process.send || !process.connected)
    throw new InputError('is internal to `lab --workers` (use --workers instead)', '--part');
  const stopped = new Promise<void>((r) => {
    if (o.signal.aborted) return r();
    o.signal.addEventListener('abort', () => r(), { once: true });
    process.once('disconnect', () => r());
    process.on('message', (m: SupervisorMessage) => m?.type === 'stop' && r());
  });
  let part: Awaited<ReturnType<typeof startLabPart>>;
  try {
    part = await startLabPart({
      scenarioPath: o.scenarioPath,
      dir: `${resolve(o.inventoryPath)}.lab`,
      part: o.part,
      timeScale: o.timeScale,
      ...(o.spawn ? { spawn: true } : {}),
      onEvent: (m) => void send({ type: 'event', line: `${new Date().toISOString()} ${m}` }),
    });
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    if (process.connected) process.disconnect();
    return 1;
  }
  await send({ type: 'ready', entries: part.entries });
  await stopped;
  await part.stop();
  // The open channel would keep this process alive; closing it lets it exit.
  if (process.connected) process.disconnect();
  return 0;
}
