// The Task Scheduler half of the adapters that run schtasks in a remote shell (ssh, winrm): each
// says how it runs schtasks and writes a file; the five task steps come from task-steps.ts once.
import type { TaskInfo } from '../model/target.ts';
import type { TaskDefinition } from '../model/task-definition.ts';
import { type TaskSteps, taskSteps } from './task-steps.ts';

/** Why: one place wires the shared task steps into both shell transports' classes. */
export abstract class ShellTaskTarget {
  /** schtasks with this argv, its text decoded; `repeat` when the form is safe to repeat. */
  protected abstract schtasks(argv: string[], repeat?: boolean): Promise<{ stdout: string; stderr: string }>;
  abstract writeFile(path: string, data: Buffer | string): Promise<void>;

  private readonly tasks: TaskSteps = taskSteps({
    schtasks: (argv, repeat) => this.schtasks(argv, repeat),
    writeFile: (path, data) => this.writeFile(path, data),
  });

  createTask(name: string, task: TaskDefinition, overwrite: boolean): Promise<void> {
    return this.tasks.createTask(name, task, overwrite);
  }
  runTask(name: string): Promise<void> {
    return this.tasks.runTask(name);
  }
  queryTask(name: string): Promise<TaskInfo | null> {
    return this.tasks.queryTask(name);
  }
  endTask(name: string): Promise<void> {
    return this.tasks.endTask(name);
  }
  deleteTask(name: string): Promise<void> {
    return this.tasks.deleteTask(name);
  }
}
