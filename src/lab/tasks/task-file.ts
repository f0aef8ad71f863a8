// The lab Task Scheduler's registered tasks on the host's disk (state/tasks.json), so they survive
// reboots as Windows' task store does.
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredTask } from './stored-task.ts';

/** Why: loads and saves the task definitions; saves are chained so two never race on the temporary file. */
export class TaskFile {
  private saving: Promise<void> = Promise.resolve();
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
    if (this.closed) return this.saving;
    this.saving = this.saving
      .then(async () => {
        await mkdir(dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify([...tasks.values()], null, 2));
        await rename(tmp, this.file);
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
