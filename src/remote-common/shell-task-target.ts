// The Task Scheduler half of TargetAccess, the same over every transport that runs schtasks in a
// remote shell (ssh, winrm): each adapter says how it runs schtasks and writes a file; the task
// XML is staged as a file, then the schtasks forms of docs/target-commands.md run, and only the
// forms that are safe to repeat are repeated after a drop.
import { TargetError, type TaskInfo } from '../model/target.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import {
  createTaskArgv,
  deleteTaskArgv,
  endTaskArgv,
  queryTaskArgv,
  runTaskArgv,
} from '../windows-common/schtasks-command.ts';
import { parseSchtasksQuery } from '../windows-common/schtasks-query.ts';
import { taskXmlFile } from '../windows-common/task-xml.ts';

/** Why: one implementation of the task steps for both shell transports' classes. */
export abstract class ShellTaskTarget {
  /** schtasks with this argv, its text decoded; `repeat` when the form is safe to repeat. */
  protected abstract schtasks(argv: string[], repeat?: boolean): Promise<{ stdout: string; stderr: string }>;
  abstract writeFile(path: string, data: Buffer | string): Promise<void>;

  async createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void> {
    await this.writeFile(task.xmlPath, taskXmlFile(task));
    // /F replaces the task, so only the overwriting form is safe to repeat after a drop.
    await this.schtasks(createTaskArgv(name, task.xmlPath, overwrite), overwrite);
  }

  async runTask(name: string): Promise<void> {
    await this.schtasks(runTaskArgv(name));
  }

  async queryTask(name: string): Promise<TaskInfo | null> {
    try {
      const r = await this.schtasks(queryTaskArgv(name), true);
      return parseSchtasksQuery(r.stdout)[0] ?? null;
    } catch (err) {
      if (err instanceof TargetError && err.kind === 'task-not-found') return null;
      throw err;
    }
  }

  async endTask(name: string): Promise<void> {
    await this.schtasks(endTaskArgv(name), true);
  }

  async deleteTask(name: string): Promise<void> {
    await this.schtasks(deleteTaskArgv(name));
  }
}
