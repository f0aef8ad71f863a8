// The lab's Task Scheduler: registers tasks from XML (/Create), starts them on /Run or at their
// TimeTrigger's StartBoundary, tracks Status and Last Result (docs/windows-facts.md#schtasks,
// #task-result-codes, #task-xml), persists the definitions in state/tasks.json so they survive reboots, and
// kills running instances on power-off.
import { join } from 'node:path';
import {
  SCHED_S_TASK_HAS_NOT_RUN,
  SCHED_S_TASK_RUNNING,
  SCHED_S_TASK_TERMINATED,
} from '../../model/task-result.ts';
import { schtasksLocale, type WindowsLocale } from '../../windows-common/schtasks-locale.ts';
import { MSG as EN_MSG, fail, ok, type SchtasksOutput } from '../../windows-common/schtasks-messages.ts';
import { normaliseTaskName, parseSchtasksArgs, type SchtasksArgs } from './args.ts';
import { queryTasks } from './query.ts';
import {
  boundaryInstant,
  type Live,
  type RunningTask,
  runAsOf,
  type StoredTask,
  type TaskAction,
} from './stored-task.ts';
import { TaskFile } from './task-file.ts';
import { durationMs, parseTaskXml, type TaskDefinition, TaskXmlError } from './task-xml-parse.ts';

export type { RunningTask, TaskAction } from './stored-task.ts';
export interface LabTaskSchedulerOptions {
  stateDir: string;
  timeZone: string;
  launch(action: TaskAction, principal: { userId: string }): RunningTask;
  /** C:\ path → its bytes, or null when the file does not exist. */
  readFile(targetPath: string): Promise<Buffer | null>;
  hostName?: string;
  now?: () => number;
  /** The server's display language: schtasks' header, Status words, dates and messages. */
  locale?: WindowsLocale;
}
export interface LabTaskScheduler {
  /**
   * One schtasks run. readAnswer reads a line from the command's standard input (null at end of
   * input), for the Y/N prompt of /Create on an existing task without /F.
   */
  exec(args: string[], readAnswer?: () => Promise<string | null>): Promise<SchtasksOutput>;
  powerOff(): void;
  powerOn(): Promise<void>;
  /** Stops timers and runs; resolves once pending state writes are on disk. */
  close(): Promise<void>;
}

/** Why: the scheduler of one lab host. */
export function createTaskScheduler(opts: LabTaskSchedulerOptions): LabTaskScheduler {
  const now = opts.now ?? Date.now;
  const locale = opts.locale ?? 'en-US';
  const MSG = schtasksLocale(locale);
  const tasks = new Map<string, StoredTask>();
  const live = new Map<string, Live>();
  let powered = true;

  const store = new TaskFile(join(opts.stateDir, 'tasks.json'));
  const load = () => store.loadInto(tasks);
  const save = (): Promise<void> => store.save(tasks);
  const liveOf = (key: string): Live => {
    let l = live.get(key);
    if (!l) {
      l = {};
      live.set(key, l);
    }
    return l;
  };

  // "If a task is started on demand, the ExecutionTimeLimit setting is bypassed" (docs/lab.md
  // "Execution time limit"): only a trigger's start is ended at the limit, never a /Run.
  const start = (t: StoredTask, onDemand = false): void => {
    const key = t.name.toLowerCase();
    const l = liveOf(key);
    if (l.run || l.queued || !powered) return; // IgnoreNew: one instance at a time.
    l.queued = true;
    setImmediate(() => {
      l.queued = false;
      if (!powered || !tasks.has(key)) return;
      t.lastRunMs = now();
      t.lastResult = SCHED_S_TASK_RUNNING;
      const action: TaskAction = { command: t.def.command, arguments: t.def.arguments };
      if (t.def.workingDirectory) action.workingDirectory = t.def.workingDirectory;
      const run = opts.launch(action, { userId: t.def.userId ?? 'Administrator' });
      l.run = run;
      const limit = durationMs(t.def.executionTimeLimit);
      if (limit > 0 && !onDemand) l.limit = setTimeout(() => run.kill(), limit);
      void save();
      run.exit.then(
        (code) => {
          if (l.run !== run) return;
          l.run = undefined;
          if (l.limit) clearTimeout(l.limit);
          if (t.lastResult === SCHED_S_TASK_RUNNING) t.lastResult = code | 0;
          void save();
        },
        () => {
          l.run = undefined;
        },
      );
    });
  };

  const arm = (t: StoredTask, booting: boolean): void => {
    const l = liveOf(t.name.toLowerCase());
    if (l.timer) clearTimeout(l.timer);
    if (t.fired || !t.def.startBoundary || !t.def.triggerEnabled || !t.def.enabled) return;
    const at = boundaryInstant(t.def.startBoundary, opts.timeZone);
    const end = t.def.endBoundary
      ? boundaryInstant(t.def.endBoundary, opts.timeZone)
      : Number.POSITIVE_INFINITY;
    const delay = at - now();
    if (delay <= 0) {
      // A start missed while the host was off runs at boot only with StartWhenAvailable.
      t.fired = true;
      if (booting && t.def.startWhenAvailable && now() < end) start(t);
      return;
    }
    l.timer = setTimeout(
      () => {
        t.fired = true;
        if (now() < end) start(t);
        void save();
      },
      Math.min(delay, 2 ** 31 - 1),
    );
  };

  // "A task expires after the end boundary has been exceeded for all triggers"; with
  // DeleteExpiredTaskAfter the definition is then deleted, and a running instance goes on
  // (docs/lab.md "Task expiry": the harsher reading).
  const armExpiry = (t: StoredTask): void => {
    const key = t.name.toLowerCase();
    const l = liveOf(key);
    if (l.expiry) clearTimeout(l.expiry);
    if (!t.def.endBoundary || t.def.deleteExpiredTaskAfter === null) return;
    const at = boundaryInstant(t.def.endBoundary, opts.timeZone) + durationMs(t.def.deleteExpiredTaskAfter);
    l.expiry = setTimeout(
      () => {
        if (tasks.get(key) !== t || !powered) return;
        tasks.delete(key);
        void save();
      },
      Math.max(0, Math.min(at - now(), 2 ** 31 - 1)),
    );
  };

  const status = (t: StoredTask): string => {
    const l = live.get(t.name.toLowerCase());
    if (!t.def.enabled) return MSG.status.disabled;
    if (l?.run) return MSG.status.running;
    if (l?.queued) return MSG.status.queued;
    return MSG.status.ready;
  };

  const nextRun = (t: StoredTask): number | null => {
    if (t.fired || !t.def.startBoundary || !t.def.triggerEnabled) return null;
    const at = boundaryInstant(t.def.startBoundary, opts.timeZone);
    return at > now() ? at : null;
  };

  async function create(
    a: SchtasksArgs,
    name: string,
    readAnswer?: () => Promise<string | null>,
  ): Promise<SchtasksOutput> {
    const key = name.toLowerCase();
    const display = a.tn ?? name;
    if (tasks.has(key) && !a.force) {
      // Windows asks and reads standard input; no answer (end of input) keeps the task, exit 1.
      const answer = readAnswer ? await readAnswer() : null;
      if (!answer || !/^[YJO]/i.test(answer.trim())) return fail(MSG.exists(display));
    }
    const bytes = await opts.readFile(a.xml ?? '');
    if (!bytes) return fail(MSG.notFound);
    let def: TaskDefinition;
    try {
      def = parseTaskXml(bytes);
    } catch (err) {
      if (err instanceof TaskXmlError) return fail(...err.lines);
      throw err;
    }
    if (!runAsOf(def)) return fail(EN_MSG.noMapping);
    const old = live.get(key);
    if (old?.timer) clearTimeout(old.timer);
    const t: StoredTask = { name, def, lastResult: SCHED_S_TASK_HAS_NOT_RUN, lastRunMs: null, fired: false };
    tasks.set(key, t);
    arm(t, false);
    armExpiry(t);
    await save();
    return ok(MSG.created(display));
  }

  async function exec(args: string[], readAnswer?: () => Promise<string | null>): Promise<SchtasksOutput> {
    const a = parseSchtasksArgs(args);
    if ('code' in a) return a;
    if (a.verb === 'query') return query(a);
    const name = normaliseTaskName(a.tn ?? '');
    if (!name) return fail(EN_MSG.badName);
    if (a.verb === 'create') return create(a, name, readAnswer);
    const key = name.toLowerCase();
    const t = tasks.get(key);
    if (!t) return fail(MSG.notFound);
    const display = a.tn ?? name;
    if (a.verb === 'run') {
      start(t, true);
      return ok(MSG.ran(display));
    }
    if (a.verb === 'end') {
      const l = live.get(key);
      if (l?.run) {
        t.lastResult = SCHED_S_TASK_TERMINATED;
        l.run.kill();
      }
      await save();
      return ok(MSG.ended(display));
    }
    // delete: /F is required, since nobody answers the Y/N prompt over a non-interactive exec.
    if (!a.force) return fail(MSG.deleteConfirm(display));
    const l = live.get(key);
    if (l?.timer) clearTimeout(l.timer);
    if (l?.expiry) clearTimeout(l.expiry);
    live.delete(key);
    tasks.delete(key);
    await save();
    return ok(MSG.deleted(display));
  }

  function query(a: SchtasksArgs): SchtasksOutput {
    return queryTasks(a, tasks, {
      status,
      nextRun,
      hostName: opts.hostName,
      timeZone: opts.timeZone,
      locale,
    });
  }

  load();
  // Created at the host's boot: a start missed while it was off is caught up like at any boot.
  for (const t of tasks.values()) {
    arm(t, true);
    armExpiry(t);
  }

  return {
    exec,
    powerOff() {
      powered = false;
      for (const [key, l] of live) {
        if (l.timer) clearTimeout(l.timer);
        if (l.limit) clearTimeout(l.limit);
        if (l.expiry) clearTimeout(l.expiry);
        if (l.run) {
          const t = tasks.get(key);
          if (t) t.lastResult = SCHED_S_TASK_TERMINATED;
          l.run.kill();
        }
      }
      live.clear();
      void save();
    },
    async powerOn() {
      powered = true;
      load();
      for (const t of tasks.values()) {
        arm(t, true);
        armExpiry(t);
      }
    },
    close() {
      powered = false;
      const flushed = store.close();
      for (const l of live.values()) {
        if (l.timer) clearTimeout(l.timer);
        if (l.limit) clearTimeout(l.limit);
        if (l.expiry) clearTimeout(l.expiry);
        l.run?.kill();
      }
      live.clear();
      return flushed;
    },
  };
}
