// The lab Task Scheduler's registered tasks on the host's disk (state/tasks.json), so they survive
// reboots as Windows' task store does.
import { readFileSync, renameSync } from 'node:fs';
import { writeMakingDir } from '../wua/state.ts';
import type { StoredTask } from './stored-task.ts';

/** Why: loads and saves the task definitions; saves are chained so two never race on the temporary file. */
export class TaskFile {
  private saving: Promise<void> = Promise.resolve();
  /** A save waits in the chain; it will write the tasks as they are when it runs. */
  private waiting = false;
  private closed = false;

  constructor(private readonly file: string) {}

  /** Why: the tasks registered before this boot (none when the file is missing or unreadable). */
  loadInto(tasks: Map<string, StoredTask>): void {
    tasks.clear();
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as StoredTask[];
      for (const t of saved) tasks.set(t.name.toLowerCase(), t);
    } catch {
      // No tasks registered yet.
    }
  }

  /** Why: writes the tasks atomically; a failed save is not fatal to the emulation. */
  save(tasks: Map<string, StoredTask>): Promise<void> {
    // A closed scheduler (host stopped or rebooted) writes nothing more: a new one owns the file.
    // Changes made while a save waits join it instead of queueing another whole-file rewrite
    // each (docs/scale.md); the folder is made only when a write finds it missing.
    if (this.closed || this.waiting) return this.saving;
    this.waiting = true;
    this.saving = this.saving
      .then(async () => {
        this.waiting = false;
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeMakingDir(tmp, JSON.stringify([...tasks.values()], null, 2));
        renameSync(tmp, this.file);
      })
      .catch(() => undefined);
    return this.saving;
  }

  /** Why: no write after this; resolves once the pending ones are on disk. */
  close(): Promise<void> {
    this.closed = true;
    return this.saving;
  }
}
