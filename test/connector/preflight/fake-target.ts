// An in-memory target for the preflight checks: its task, when run, writes the probe the client
// would (or ends with an exit code), and it answers shellInfo as a transport would.
import type { ShellInfo, TargetAccess, TargetError, TaskInfo } from '../../../src/connector/ports.ts';
import type { PreflightProbe } from '../../../src/protocol/preflight-probe.ts';

export const CMD_437: ShellInfo = { shell: 'cmd.exe', drivable: true, codePage: 437, decoded: true };

export const HEALTHY: PreflightProbe = {
  updateService: { startType: 'automatic', running: true },
  search: { applicable: 3 },
  freeDiskMB: 40_000,
};

/** A target whose task, when run, writes the probe the client would (or ends with `exitCode`). */
export function fakeTarget(o: {
  probe?: PreflightProbe;
  connectError?: TargetError;
  exitCode?: number;
  /** What shellInfo answers; an Error is thrown; 'missing' leaves the optional method out. */
  shellInfo?: ShellInfo | Error | 'missing';
}) {
  const files = new Map<string, string>();
  const tasks = new Map<string, TaskInfo>();
  const log: string[] = [];
  let probePath = '';
  const t: TargetAccess = {
    server: 'srv01',
    async connect() {
      if (o.connectError) throw o.connectError;
    },
    async writeFile(p, d) {
      files.set(p, d.toString());
    },
    async readFile(p) {
      const v = files.get(p);
      return v === undefined ? null : Buffer.from(v);
    },
    async removeFile(p) {
      files.delete(p);
    },
    async createTask(name, task) {
      log.push(`create ${name}`);
      probePath = /--out "([^"]+)"/.exec(task.arguments)?.[1] ?? '';
      tasks.set(name, { name, status: 'Ready', lastResult: 267011, lastRunTime: null, nextRunTime: null });
    },
    async runTask(name) {
      log.push(`run ${name}`);
      const exit = o.exitCode ?? 0;
      if (exit === 0) files.set(probePath, JSON.stringify(o.probe ?? HEALTHY));
      tasks.set(name, { name, status: 'Ready', lastResult: exit, lastRunTime: 'now', nextRunTime: null });
    },
    async queryTask(name) {
      return tasks.get(name) ?? null;
    },
    async endTask() {},
    async deleteTask(name) {
      log.push(`delete ${name}`);
      tasks.delete(name);
    },
    async protectFolder() {},
    async openPipe() {
      throw new Error('not used');
    },
    async clientStatus() {
      return {
        bootTime: '2026-12-01T00:00:00Z',
        rebootPending: false,
        servicingInProgress: false,
        activeRun: null,
      };
    },
    async probe() {
      return { transport: true };
    },
    async close() {},
  };
  const shell = o.shellInfo ?? CMD_437;
  if (shell !== 'missing')
    t.shellInfo = async () => {
      log.push('shellInfo');
      if (shell instanceof Error) throw shell;
      return shell;
    };
  return { t, tasks, log, files };
}
