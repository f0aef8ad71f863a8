import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TargetAccess, TargetError, type TaskInfo } from '../../../src/connector/ports.ts';
import { PREFLIGHT_TASK, preflightServer } from '../../../src/connector/preflight/checks.ts';
import type { PreflightProbe } from '../../../src/protocol/preflight-probe.ts';

const HEALTHY: PreflightProbe = {
  updateService: { startType: 'automatic', running: true },
  search: { applicable: 3 },
  freeDiskMB: 40_000,
};

/** A target whose task, when run, writes the probe the client would (or ends with `exitCode`). */
function fakeTarget(o: { probe?: PreflightProbe; connectError?: TargetError; exitCode?: number }) {
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
  return { t, tasks, log, files };
}

let virtual = 0;
const clock = {
  now: () => virtual,
  sleep: async (ms: number) => {
    virtual += ms;
  },
};
const levels = (lines: { check: string; level: string }[]) =>
  Object.fromEntries(lines.map((l) => [l.check, l.level]));

describe('preflight checks', () => {
  it('a healthy server: every check ok, the check task deleted and never the lock task', async () => {
    const f = fakeTarget({});
    const lines = await preflightServer(f.t, 'C:\\c.exe', clock);
    assert.deepEqual(levels(lines), {
      connect: 'ok',
      'client-status': 'ok',
      task: 'ok',
      'folder-acl': 'ok',
      wuauserv: 'ok',
      'wua-search': 'ok',
      disk: 'ok',
    });
    assert.match(lines.find((l) => l.check === 'wua-search')?.detail ?? '', /3 applicable/);
    assert.equal(f.tasks.size, 0);
    assert.ok(f.log.every((l) => l.endsWith(PREFLIGHT_TASK)));
    assert.notEqual(PREFLIGHT_TASK, '\\WsusConnector\\Patch');
    assert.equal(f.files.size, 0);
  });

  it('wuauserv disabled fails naming the service, 0x80070422 and the fix', async () => {
    const f = fakeTarget({
      probe: {
        ...HEALTHY,
        updateService: { startType: 'disabled', running: false },
        search: { error: true, hresult: 0x80070422, message: 'disabled' },
      },
    });
    const line = (await preflightServer(f.t, 'C:\\c.exe', clock)).find((l) => l.check === 'wuauserv');
    assert.equal(line?.level, 'failed');
    assert.match(line?.detail ?? '', /wuauserv.*0x80070422/);
    assert.match(line?.fix ?? '', /start= demand/);
  });

  it('a task that cannot start the client fails the task check and is still deleted', async () => {
    const f = fakeTarget({ exitCode: 0x80070002 | 0 });
    const line = (await preflightServer(f.t, 'C:\\c.exe', clock)).find((l) => l.check === 'task');
    assert.equal(line?.level, 'failed');
    assert.match(line?.detail ?? '', /0x80070002/);
    assert.equal(f.tasks.size, 0);
  });

  it('names the connect failure and stops there', async () => {
    const f = fakeTarget({ connectError: new TargetError('host-key', 'host key mismatch') });
    const lines = await preflightServer(f.t, 'C:\\c.exe', clock);
    assert.equal(lines.length, 1);
    assert.match(lines[0]?.fix ?? '', /host key/);
  });

  it('low disk: a warning under 10 GB, failed under 2 GB', async () => {
    const at = async (mb: number) =>
      (
        await preflightServer(fakeTarget({ probe: { ...HEALTHY, freeDiskMB: mb } }).t, 'C:\\c.exe', clock)
      ).find((l) => l.check === 'disk')?.level;
    assert.equal(await at(5_000), 'warning');
    assert.equal(await at(1_000), 'failed');
  });
});
