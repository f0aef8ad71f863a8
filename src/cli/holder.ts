// Who holds a lock: hostname:pid. A holder on THIS machine whose process is gone is known dead,
// so a rerun after a kill need not wait for the lease to run out.
import { hostname } from 'node:os';
import { processAlive } from '../client/process-alive.ts';

/** Why: the holder string this process writes into lock.json. */
export function currentHolder(): string {
  return `${hostname()}:${process.pid}`;
}

/** Why: false only when certain (same host, no such process); undefined when it cannot be told. */
export function holderAlive(holder: string): boolean | undefined {
  const at = holder.lastIndexOf(':');
  if (at <= 0) return undefined;
  const host = holder.slice(0, at);
  const pid = Number(holder.slice(at + 1));
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return true;
  return processAlive(pid);
}
