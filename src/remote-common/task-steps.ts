// The Task Scheduler half of TargetAccess, the same over every transport that runs schtasks in a
// remote shell (ssh, winrm): the task XML staged as a file, then the schtasks forms of
// docs/target-commands.md; only the forms that are safe to repeat are repeated after a drop.
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

export interface TaskShell {
  /** schtasks with this argv, its text decoded; `repeat` when the form is safe to repeat. */
  schtasks(argv: string[], repeat?: boolean): Promise<{ stdout: string; stderr: string }>;
  writeFile(path: string, data: Buffer | string): Promise<void>;
}

export interface TaskSteps {
  createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void>;
  runTask(name: string): Promise<void>;
  queryTask(name: string): Promise<TaskInfo | null>;
  endTask(name: string): Promise<void>;
  deleteTask(name: string): Promise<void>;
}

/** Why: one implementation of the task steps for the adapters that share schtasks lines. */
export function taskSteps(t: TaskShell): TaskSteps {
  return {
    async createTask(name, task, overwrite) {
      await t.writeFile(task.xmlPath, taskXmlFile(task));
      // /F replaces the task, so only the overwriting form is safe to repeat after a drop.
      await t.schtasks(createTaskArgv(name, task.xmlPath, overwrite), overwrite);
    },
    async runTask(name) {
      await t.schtasks(runTaskArgv(name));
    },
    async queryTask(name) {
      try {
        const r = await t.schtasks(queryTaskArgv(name), true);
        return parseSchtasksQuery(r.stdout)[0] ?? null;
      } catch (err) {
        if (err instanceof TargetError && err.kind === 'task-not-found') return null;
        throw err;
      }
    },
    async endTask(name) {
      await t.schtasks(endTaskArgv(name), true);
    },
    async deleteTask(name) {
      await t.schtasks(deleteTaskArgv(name));
    },
  };
}
