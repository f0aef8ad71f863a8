import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TargetError } from '../../../src/connector/ports.ts';
import { PREFLIGHT_TASK, preflightServer } from '../../../src/connector/preflight/checks.ts';
import { fakeTarget, HEALTHY } from './fake-target.ts';

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
      shell: 'ok',
      'client-status': 'ok',
      task: 'ok',
      'folder-acl': 'ok',
      wuauserv: 'ok',
      'wua-search': 'ok',
      disk: 'ok',
    });
    assert.match(lines.find((l) => l.check === 'wua-search')?.detail ?? '', /3 applicable/);
    assert.equal(f.tasks.size, 0);
    assert.ok(f.log.every((l) => l === 'shellInfo' || l.endsWith(PREFLIGHT_TASK)));
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
