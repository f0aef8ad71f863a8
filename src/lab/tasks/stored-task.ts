// What the lab's Task Scheduler keeps of a task (the registered definition and its Last Result,
// saved across reboots) and of its live state (timers, the running instance), and the rules that
// read a definition: who it runs as, and when its trigger fires.
import { localToInstant } from '../local-time.ts';
import type { TaskDefinition } from './task-xml-parse.ts';

/** What a task runs. */
export interface TaskAction {
  command: string;
  arguments: string;
  workingDirectory?: string;
}
/** A running instance: its exit code (Last Result) and how to end it. */
export interface RunningTask {
  exit: Promise<number>;
  kill(): void;
}

export interface StoredTask {
  name: string;
  def: TaskDefinition;
  lastResult: number;
  lastRunMs: number | null;
  /** The one-shot TimeTrigger has fired (or was missed without StartWhenAvailable). */
  fired: boolean;
}

export interface Live {
  run?: RunningTask;
  queued?: boolean;
  timer?: NodeJS.Timeout;
  limit?: NodeJS.Timeout;
  /** Deletes the definition DeleteExpiredTaskAfter past EndBoundary. */
  expiry?: NodeJS.Timeout;
}

const SYSTEM_IDS = ['s-1-5-18', 'system', 'nt authority\\system', 'localsystem'];
const ADMIN_IDS = ['administrator', 's-1-5-32-544', 'builtin\\administrators', 'administrators'];

/**
 * Why: only SYSTEM or an administrator may run the client (docs/lab.md#task-scheduler-emulation); anyone else
 * is unknown here.
 */
export function runAsOf(def: TaskDefinition): string | null {
  const id = (def.userId ?? def.groupId ?? 'Administrator').toLowerCase();
  const bare = id.replace(/^[^\\]+\\(?=administrator$)/, '');
  if (SYSTEM_IDS.includes(id)) return 'NT AUTHORITY\\SYSTEM';
  if (ADMIN_IDS.includes(bare) || ADMIN_IDS.includes(id)) return 'Administrator';
  return null;
}

/** Why: a StartBoundary with an offset is an instant; a bare one is wall-clock time of the host. */
export function boundaryInstant(boundary: string, timeZone: string): number {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(boundary)) return Date.parse(boundary);
  return localToInstant(boundary, timeZone);
}
