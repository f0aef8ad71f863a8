import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  createTaskScheduler,
  type LabTaskScheduler,
  type TaskAction,
} from '../../../src/lab/tasks/scheduler.ts';
import { classifySchtasksError, parseSchtasksQuery } from '../../../src/windows-common/schtasks-query.ts';
import { buildTaskXml, encodeTaskXml } from '../../../src/windows-common/task-xml.ts';
import { waitFor } from '../../client/test-env.ts';

const NAME = '\\WsusConnector\\Patch';
const XML_PATH = 'C:\\ProgramData\\wsus-connector\\runs\\r-c1\\task.xml';

function xml(over: { start?: Date; userId?: string } = {}): Buffer {
  let text = buildTaskXml({
    description: 'test',
    command: '\\\\labshare\\wsus\\wsus-client.exe',
    arguments: 'run --job "C:\\x\\job.json"',
    workingDirectory: 'C:\\ProgramData\\wsus-connector',
    startBoundary: over.start ?? new Date(Date.now() + 3_600_000),
    executionTimeLimit: 'PT4H',
  });
  if (over.userId) text = text.replace('S-1-5-18', over.userId);
  return encodeTaskXml(text);
}

describe('lab Task Scheduler', () => {
  let dir: string;
  let files: Map<string, Buffer>;
  let launched: TaskAction[];
  let finish: ((code: number) => void) | undefined;
  let sched: LabTaskScheduler;
  let kills = 0;
  const make = (timeZone = 'UTC') =>
    createTaskScheduler({
      stateDir: dir,
      timeZone,
      hostName: 'lab01',
      readFile: async (p) => files.get(p) ?? null,
      launch: (action) => {
        launched.push(action);
        let resolve!: (c: number) => void;
        const exit = new Promise<number>((r) => {
          resolve = r;
        });
        finish = resolve;
        return {
          exit,
          kill: () => {
            kills += 1;
            resolve(1);
          },
        };
      },
    });
  const row = async () => {
    const r = await sched.exec(['/Query', '/TN', NAME, '/FO', 'CSV', '/V', '/NH']);
    assert.equal(r.code, 0, r.stderr);
    return parseSchtasksQuery(r.stdout)[0];
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-labtasks-'));
    files = new Map([[XML_PATH, xml()]]);
    launched = [];
    sched = make();
  });
  afterEach(async () => {
    await sched.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });

  it('creates from the connector XML, refuses a second create without /F, reports never-run', async () => {
    const c = await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(
      c.stdout,
      /SUCCESS: The scheduled task "\\WsusConnector\\Patch" has successfully been created/,
    );
    const again = await sched.exec(['/create', '/tn', NAME, '/xml', XML_PATH]);
    assert.equal(again.code, 1);
    assert.equal(classifySchtasksError(again.stdout, again.stderr, again.code).kind, 'task-exists');
    assert.equal((await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH, '/F'])).code, 0);
    const r = await row();
    assert.equal(r?.status, 'Ready');
    assert.equal(r?.lastResult, 267011);
    assert.ok(r?.nextRunTime, 'a future trigger shows its next run time');
  });

  it('runs on /Run: Running with 267009, then the exit code as Last Result', async () => {
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    assert.equal((await sched.exec(['/Run', '/TN', NAME])).code, 0);
    await waitFor(() => launched.length === 1, 'the launch');
    assert.equal(launched[0]?.arguments, 'run --job "C:\\x\\job.json"');
    assert.equal((await row())?.status, 'Running');
    assert.equal((await row())?.lastResult, 267009);
    await sched.exec(['/Run', '/TN', NAME]);
    finish?.(100);
    await waitFor(() => true, 'tick');
    await new Promise((r) => setImmediate(r));
    assert.equal(launched.length, 1, 'IgnoreNew: no second instance');
    assert.equal((await row())?.lastResult, 100);
    assert.equal((await row())?.status, 'Ready');
  });

  it('/End terminates with 267014; /Delete without /F is refused, with /F removes it', async () => {
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    await sched.exec(['/Run', '/TN', NAME]);
    await waitFor(() => launched.length === 1, 'the launch');
    assert.equal((await sched.exec(['/End', '/TN', NAME])).code, 0);
    await new Promise((r) => setImmediate(r));
    assert.equal((await row())?.lastResult, 267014);
    assert.equal((await sched.exec(['/Delete', '/TN', NAME])).code, 1);
    assert.equal((await sched.exec(['/Delete', '/TN', NAME, '/F'])).code, 0);
    const q = await sched.exec(['/Query', '/TN', NAME, '/FO', 'CSV', '/V', '/NH']);
    assert.equal(q.code, 1);
    assert.equal(classifySchtasksError(q.stdout, q.stderr, q.code).kind, 'task-not-found');
  });

  it('fires the time trigger at a StartBoundary with an offset', async () => {
    files.set(XML_PATH, xml({ start: new Date(Date.now() + 1200) }));
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    assert.equal(launched.length, 0);
    await waitFor(() => launched.length === 1, 'the trigger', 5000);
  });

  it('reads a bare StartBoundary as the host local time', async () => {
    await sched.close();
    sched = make('Pacific/Honolulu'); // UTC-10: a bare "now in UTC" is 10 h in the future there
    const bare = new Date(Date.now() + 1000).toISOString().slice(0, 19);
    const text = encodeTaskXml(
      buildTaskXml({
        description: 't',
        command: 'C:\\c.exe',
        arguments: '',
        workingDirectory: '',
        startBoundary: new Date(),
        executionTimeLimit: 'PT1H',
      }).replace(/<StartBoundary>[^<]+</, `<StartBoundary>${bare}<`),
    );
    files.set(XML_PATH, text);
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    const next = (await row())?.nextRunTime;
    assert.ok(next, 'still in the future');
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(launched.length, 0, 'did not fire at the UTC instant');
  });

  it('rejects XML Windows would reject, with Windows messages', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['utf-8 bom', Buffer.from(`\ufeff<?xml version="1.0"?><Task/>`, 'utf8'), /incorrect document syntax/],
      ['bad value', xml(), /incorrectly formatted or out of range/],
      ['unknown element', xml(), /unexpected node/],
      ['missing Command', xml(), /missing a required element/],
      ['other principal', xml({ userId: 'CONTOSO\\bob' }), /No mapping between account names/],
    ];
    const mutate = (b: Buffer, from: RegExp, to: string) =>
      encodeTaskXml(b.subarray(2).toString('utf16le').replace(/\r\n/g, '\n').replace(from, to));
    cases[1]![1] = mutate(xml(), /<Enabled>true<\/Enabled>/, '<Enabled>yes</Enabled>');
    cases[2]![1] = mutate(xml(), /<Hidden>/, '<Bogus>1</Bogus><Hidden>');
    cases[3]![1] = mutate(xml(), /<Command>[^<]*<\/Command>/, '');
    for (const [what, bytes, re] of cases) {
      files.set(XML_PATH, bytes);
      const r = await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH, '/F']);
      assert.equal(r.code, 1, what);
      assert.match(r.stderr, re, what);
    }
  });

  it('rejects unknown switches and a missing XML file', async () => {
    const bad = await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH, '/RU']);
    assert.match(bad.stderr, /Invalid argument\/option - '\/RU'/);
    const missing = await sched.exec(['/Create', '/TN', NAME, '/XML', 'C:\\nope.xml']);
    assert.match(missing.stderr, /cannot find the file specified/);
  });

  it('keeps tasks across power off/on; a missed trigger runs at boot with StartWhenAvailable', async () => {
    files.set(XML_PATH, xml({ start: new Date(Date.now() + 1100) }));
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    sched.powerOff();
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(launched.length, 0);
    await sched.close();
    sched = make();
    await sched.powerOn();
    await waitFor(() => launched.length === 1, 'the catch-up start');
    assert.equal((await row())?.name, NAME);
  });

  it('prints the header row without /NH, in Windows column order', async () => {
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    const r = await sched.exec(['/Query', '/TN', NAME, '/FO', 'CSV', '/V']);
    const [header] = r.stdout.split('\r\n');
    assert.match(
      header ?? '',
      /^"HostName","TaskName","Next Run Time","Status","Logon Mode","Last Run Time","Last Result"/,
    );
    assert.equal(parseSchtasksQuery(r.stdout).length, 1);
  });

  it('an expired task is deleted DeleteExpiredTaskAfter past EndBoundary; its running client goes on', async () => {
    // PT1H after an EndBoundary 1 h less 3 s ago: due for deletion 2-3 s from now.
    const start = new Date(Date.now() - 2 * 3_600_000);
    const text = buildTaskXml({
      description: 'test',
      command: '\\\\labshare\\wsus\\wsus-client.exe',
      arguments: 'run',
      workingDirectory: 'C:\\ProgramData\\wsus-connector',
      startBoundary: start,
      endBoundary: new Date(Date.now() - 3_600_000 + 3000),
      executionTimeLimit: 'PT4H',
    });
    assert.match(text, /<DeleteExpiredTaskAfter>PT1H<\/DeleteExpiredTaskAfter>/);
    files.set(XML_PATH, encodeTaskXml(text));
    assert.equal((await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH])).code, 0);
    assert.equal((await sched.exec(['/Run', '/TN', NAME])).code, 0);
    await waitFor(() => launched.length === 1, 'the task to start', 2000);
    kills = 0;
    let q = await sched.exec(['/Query', '/TN', NAME, '/FO', 'CSV', '/V']);
    for (let i = 0; i < 50 && q.code === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      q = await sched.exec(['/Query', '/TN', NAME, '/FO', 'CSV', '/V']);
    }
    assert.equal(classifySchtasksError(q.stdout, q.stderr, q.code).kind, 'task-not-found');
    assert.equal(kills, 0, 'the running instance was not stopped');
    finish?.(0);
  });

  it('ExecutionTimeLimit ends a triggered start but never an on-demand /Run', async () => {
    const limited = (start: Date) =>
      encodeTaskXml(
        buildTaskXml({
          description: 'test',
          command: '\\\\labshare\\wsus\\wsus-client.exe',
          arguments: 'run',
          workingDirectory: 'C:\\ProgramData\\wsus-connector',
          startBoundary: start,
          executionTimeLimit: 'PT1S',
        }),
      );
    files.set(XML_PATH, limited(new Date(Date.now() + 3_600_000)));
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    kills = 0;
    assert.equal((await sched.exec(['/Run', '/TN', NAME])).code, 0);
    await waitFor(() => launched.length === 1, 'the /Run start');
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal(kills, 0, 'an on-demand start runs past ExecutionTimeLimit');
    assert.equal((await row())?.status, 'Running');
    finish?.(0);
    await new Promise((r) => setImmediate(r));
    await sched.exec(['/Delete', '/TN', NAME, '/F']);
    files.set(XML_PATH, limited(new Date(Date.now() + 1000)));
    await sched.exec(['/Create', '/TN', NAME, '/XML', XML_PATH]);
    await waitFor(() => launched.length === 2, 'the trigger start', 5000);
    await waitFor(() => kills === 1, 'the limit to end the triggered start', 5000);
  });
});
