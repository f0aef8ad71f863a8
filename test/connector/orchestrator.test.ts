import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCK_PATH, TASK_NAME } from '../../src/connector/paths.ts';
import { DEFENDER, LCU, MSRT, SSU } from './catalog-fixture.ts';
import { makeHost, options, runOn, TOKEN } from './harness.ts';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('orchestrator: result codes over a fake target', () => {
  it('nothing to do → 0, and leaves no task, job or lock behind', async () => {
    const { host } = makeHost({ catalog: [MSRT], installed: [MSRT.id] });
    const run = await runOn(host, options());
    assert.equal(run.result.resultCode, 0);
    assert.equal(lastLine(run.output), 'Result code: 0');
    assert.equal(host.tasks.size, 0);
    assert.equal(host.files.has(LOCK_PATH), false);
    assert.equal(host.files.has('C:\\ProgramData\\wsus-connector\\runs\\run1-c1\\job.json'), false);
    assert.ok(host.files.has('C:\\ProgramData\\wsus-connector\\runs\\run1-c1\\log.jsonl'), 'the log stays');
  });

  it('one install without a reboot → 100; task created without /F and with an offset trigger', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const run = await runOn(host, options());
    assert.equal(run.result.resultCode, 100);
    assert.equal(run.result.exitCode, 100);
    assert.ok(host.installed.has(MSRT.id));
    const create = host.calls.find((c) => c.op === 'createTask');
    assert.deepEqual(create?.args, [
      TASK_NAME,
      'C:\\ProgramData\\wsus-connector\\runs\\run1-c1\\task.xml',
      '',
    ]);
    assert.equal(run.result.report.updates[0]?.status, 'installed');
    assert.match(run.output, /KB890830 .* installed/);
  });

  it('multi-cycle with --restart → 110 after two reboots and a final clean cycle', async () => {
    const { host } = makeHost({ catalog: [SSU, LCU, MSRT] });
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.resultCode, 110);
    assert.equal(host.reboots, 2);
    assert.equal(run.result.report.cycles.length, 3);
    assert.deepEqual(
      run.result.report.cycles.map((c) => c.rebooted),
      [true, true, false],
    );
    assert.ok([SSU, LCU, MSRT].every((u) => host.installed.has(u.id)));
    assert.match(run.output, /server ready for the next cycle: the reboot took/);
    assert.equal(host.tasks.size, 0);
  });

  it('reboot required without --restart → 105 with a warning naming --restart', async () => {
    const { host } = makeHost({ catalog: [SSU] });
    const run = await runOn(host, options());
    assert.equal(run.result.resultCode, 105);
    assert.equal(host.reboots, 0);
    assert.match(run.result.report.warnings.join('\n'), /--restart was not given/);
  });

  it('check-only → 1100 and the host is unchanged; posix exit 10', async () => {
    const { host } = makeHost({ catalog: [SSU, MSRT] });
    const run = await runOn(host, options({ mode: 'check', exitCodes: 'posix' }));
    assert.equal(run.result.resultCode, 1100);
    assert.equal(run.result.exitCode, 10);
    assert.equal(host.installed.size, 0);
    assert.equal(host.downloaded.size, 0);
    assert.equal(host.reboots, 0);
    assert.equal(run.result.report.updates.filter((u) => u.status === 'available').length, 2);
  });

  it('pending reboot with --restart → 10 (install) and 1010 (check-only)', async () => {
    for (const [mode, code] of [
      ['install', 10],
      ['check', 1010],
    ] as const) {
      const { host } = makeHost({ catalog: [], pendingReboot: true });
      const run = await runOn(host, options({ mode, restart: true }));
      assert.equal(run.result.resultCode, code, mode);
      assert.equal(host.reboots, 1);
    }
  });

  it('pending reboot with an update and --restart → 110: reboot first, then install', async () => {
    const { host } = makeHost({ catalog: [MSRT], pendingReboot: true });
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.resultCode, 110);
    assert.equal(run.result.report.cycles[0]?.installed, 0);
    assert.equal(run.result.report.cycles[1]?.installed, 1);
  });

  it('a failing update → -1 with the HRESULT name in the output and report', async () => {
    const { host } = makeHost({
      catalog: [{ ...MSRT, failures: [{ attempt: 1, hresult: 0x800f0922 }] }],
    });
    const run = await runOn(host, options());
    assert.equal(run.result.resultCode, -1);
    assert.match(run.output, /CBS_E_INSTALLERS_FAILED/);
    assert.equal(run.result.report.error?.kind, 'update-failed');
    assert.equal(run.result.report.updates[0]?.hresult, '0x800F0922');
    const posix = await runOn(
      makeHost({ catalog: [{ ...MSRT, failures: [{ attempt: 1, hresult: 0x800f0922 }] }] }).host,
      options({ exitCodes: 'posix' }),
    );
    assert.equal(posix.result.exitCode, 1);
  });

  it('a failure after a reboot of this run → 9', async () => {
    const { host } = makeHost({
      catalog: [SSU, { ...LCU, failures: [{ attempt: 1, hresult: 0x800f0922 }] }],
    });
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.resultCode, 9);
    assert.equal(host.reboots, 1);
  });

  it('a server that never comes back → reboot timeout (-4 / posix 4)', async () => {
    const { host } = makeHost({ catalog: [SSU], bootStuck: true });
    const run = await runOn(host, options({ restart: true, rebootTimeoutMs: 5 * 60_000 }));
    assert.equal(run.result.resultCode, -4);
    assert.equal(run.result.report.error?.kind, 'reboot-timeout');
    assert.match(run.result.report.error?.message ?? '', /went down and did not come back/);
    const posix = await runOn(
      makeHost({ catalog: [SSU], bootStuck: true }).host,
      options({ restart: true, exitCodes: 'posix' }),
    );
    assert.equal(posix.result.exitCode, 4);
  });

  it('waits for servicing after a reboot before the next cycle', async () => {
    const { host } = makeHost({ catalog: [SSU, LCU], servicingMs: 30_000 });
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.resultCode, 110);
    assert.ok(host.installed.has(LCU.id));
  });

  it('an update that comes back after installing → loop detected (-6 / posix 7)', async () => {
    const { host } = makeHost({ catalog: [DEFENDER] });
    const run = await runOn(host, options());
    assert.equal(run.result.resultCode, -6);
    assert.equal(run.result.report.error?.kind, 'loop-detected');
    assert.match(run.result.report.error?.message ?? '', /KB2267602/);
  });

  it('an update reinstalled across reboots → loop detected', async () => {
    const { host } = makeHost({ catalog: [{ ...DEFENDER, reboot: 'always' }] });
    const run = await runOn(host, options({ restart: true, exitCodes: 'posix' }));
    assert.equal(run.result.report.error?.kind, 'loop-detected');
    assert.equal(run.result.exitCode, 7);
    assert.ok(run.result.report.cycles.length <= 3);
  });

  it('the same update failing twice → loop detected', async () => {
    const { host } = makeHost({
      catalog: [
        SSU,
        {
          ...MSRT,
          failures: [
            { attempt: 1, hresult: 0x80242014 },
            { attempt: 2, hresult: 0x80242014 },
          ],
        },
      ],
    });
    const run = await runOn(host, options({ restart: true }));
    assert.equal(run.result.report.error?.kind, 'loop-detected');
    assert.match(run.result.report.error?.message ?? '', /KB890830 failed twice/);
  });

  it('a task that never starts → task-not-started naming the Last Result; task removed', async () => {
    const { host } = makeHost({ catalog: [MSRT], taskNeverStarts: 0x80070002 | 0 });
    const run = await runOn(host, options({ startTimeoutMs: 60_000 }));
    assert.equal(run.result.resultCode, -5);
    assert.equal(run.result.report.error?.kind, 'task-not-started');
    assert.match(run.result.report.error?.message ?? '', /ERROR_FILE_NOT_FOUND/);
    assert.equal(host.tasks.size, 0);
    assert.equal(host.files.has(LOCK_PATH), false);
  });

  it('max cycles reached → max-cycles failure', async () => {
    const { host } = makeHost({ catalog: [SSU, LCU] });
    const run = await runOn(host, options({ restart: true, maxCycles: 1 }));
    assert.equal(run.result.report.error?.kind, 'max-cycles');
    assert.equal(run.result.resultCode, -9);
  });

  it('--start-delay lets the trigger start the client (no /Run)', async () => {
    const { host, clock } = makeHost({ catalog: [MSRT] });
    const t0 = clock.now();
    const run = await runOn(host, options({ startDelayMs: 60_000 }));
    assert.equal(run.result.resultCode, 100);
    assert.equal(host.calls.filter((c) => c.op === 'runTask').length, 0);
    assert.ok(clock.now() - t0 >= 60_000);
  });

  it('a relay that breaks mid-log reconnects from the next seq: no event is lost or shown twice', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const session = host.session();
    const open = session.openPipe.bind(session);
    let cut = false;
    session.openPipe = async (pipe, clientPath) => {
      const conn = await open(pipe, clientPath);
      if (!cut) {
        cut = true;
        let lines = 0;
        conn.on('data', () => {
          if (++lines === 3) conn.destroy();
        });
      }
      return conn;
    };
    const run = await runOn(host, options(), { target: session });
    assert.equal(run.result.resultCode, 100);
    const seqs = run.events.flatMap((e) => (e.type === 'client' ? [e.event.seq] : []));
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i),
    );
    assert.ok(host.calls.filter((c) => c.op === 'openPipe').length >= 2);
  });

  it('never puts the token in output, report or any command argument', async () => {
    const { host } = makeHost({ catalog: [SSU, LCU] });
    const run = await runOn(host, options({ restart: true }));
    assert.ok(!run.output.includes(TOKEN));
    assert.ok(!JSON.stringify(run.result.report).includes(TOKEN));
    assert.ok(host.calls.every((c) => c.args.every((a) => !a.includes(TOKEN))));
    const xml = host.calls.filter((c) => c.op === 'createTask');
    assert.ok(xml.length > 0);
  });
});
