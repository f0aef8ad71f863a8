import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCK_PATH, TASK_NAME } from '../../src/connector/paths.ts';
import { taskXmlFile } from '../../src/windows-common/task-xml.ts';
import { LCU, MSRT, SSU } from './catalog-fixture.ts';
import { makeHost, options, runOn } from './harness.ts';

describe('orchestrator: the per-host lock', () => {
  it('refuses a second run while a live lease is held, naming the holder; touches nothing', async () => {
    const { host, clock } = makeHost({ catalog: [MSRT] });
    const record = {
      version: 1,
      runId: 'other-run',
      holder: 'ops-box:999',
      fingerprint: 'fp-other',
      server: 'srv01',
      cycle: 1,
      startedAt: new Date(clock.now()).toISOString(),
      leaseUntil: new Date(clock.now() + 60_000).toISOString(),
    };
    host.files.set(LOCK_PATH, Buffer.from(JSON.stringify(record)));
    const run = await runOn(host, options({ exitCodes: 'posix' }));
    assert.equal(run.result.report.error?.kind, 'lock-held');
    assert.match(run.result.report.error?.message ?? '', /other-run by ops-box:999/);
    assert.equal(run.result.exitCode, 8);
    assert.equal(host.calls.filter((c) => c.op === 'createTask').length, 0);
    assert.equal(JSON.parse(host.files.get(LOCK_PATH)!.toString()).runId, 'other-run');
  });

  it('refuses when the task exists though no lock file does', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    host.files.set(
      'C:\\x\\task.xml',
      taskXmlFile({
        description: 'a task someone else registered',
        command: 'C:\\x\\wsus-client.exe',
        arguments: 'run --job "C:\\x\\job.json"',
        workingDirectory: 'C:\\x',
        startBoundary: new Date(host.clock.now() + 3_600_000),
        executionTimeLimit: 'PT4H',
      }),
    );
    host.createTask(TASK_NAME, 'C:\\x\\task.xml', false);
    const run = await runOn(host, options());
    assert.equal(run.result.report.error?.kind, 'lock-held');
    assert.match(run.result.report.error?.message ?? '', /already exists/);
    assert.equal(host.files.has('C:\\ProgramData\\wsus-connector\\runs\\run1-c1\\job.json'), false);
  });

  it('two concurrent runs: the second is refused, the first completes', async () => {
    const { host } = makeHost({ catalog: [SSU, LCU] });
    const first = runOn(host, options({ restart: true }));
    await new Promise((r) => setImmediate(r));
    const second = runOn(host, options({ restart: true }), { runId: 'run2' });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.result.resultCode, 110);
    assert.equal(b.result.report.error?.kind, 'lock-held');
    assert.match(b.result.report.error?.message ?? '', /run1/);
  });

  it('a killed connector: a rerun with the same arguments takes over and resumes, nothing done twice', async () => {
    const { host } = makeHost({ catalog: [SSU, LCU, MSRT] });
    const ctl = new AbortController();
    const killed = await runOn(host, options({ restart: true }), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'client' && e.event.kind === 'install.start' && e.cycle === 2)
          ctl.abort(new Error('kill'));
      },
    });
    assert.equal(killed.result.report.error?.kind, 'interrupted');
    assert.equal(host.tasks.size, 1, 'the running task is left for the resume');
    const resumed = await runOn(host, options({ restart: true }), { runId: 'run-new' });
    assert.equal(resumed.result.resultCode, 110);
    assert.equal(resumed.result.report.runId, 'run1');
    assert.match(resumed.output, /resuming run run1 at cycle 2/);
    for (const u of [SSU, LCU, MSRT]) assert.equal(host.attempts.get(u.id), 1, `${u.kb} installed once`);
    assert.equal(resumed.result.report.cycles.length, 3);
    assert.equal(resumed.result.report.cycles[0]?.resumed, true);
    const uninterrupted = await runOn(
      makeHost({ catalog: [SSU, LCU, MSRT] }).host,
      options({ restart: true }),
    );
    assert.equal(resumed.result.resultCode, uninterrupted.result.resultCode);
  });

  it('a dead holder on this machine (live lease) is taken over when the arguments match', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const ctl = new AbortController();
    await runOn(host, options(), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'client' && e.event.kind === 'install.start') ctl.abort(new Error('kill'));
      },
    });
    // A hard kill leaves a live lease: rewrite it as if the process had died without expiring it.
    const rec = JSON.parse(host.files.get(LOCK_PATH)!.toString());
    rec.leaseUntil = new Date(host.clock.now() + 600_000).toISOString();
    host.files.set(LOCK_PATH, Buffer.from(JSON.stringify(rec)));
    const refused = await runOn(host, options(), { holderAlive: () => undefined });
    assert.equal(refused.result.report.error?.kind, 'lock-held');
    const resumed = await runOn(host, options(), { holderAlive: () => false });
    assert.equal(resumed.result.resultCode, 100);
    assert.equal(host.attempts.get(MSRT.id), 1);
  });

  it('an expired lease with other arguments and a live task is refused', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const ctl = new AbortController();
    await runOn(host, options(), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'client' && e.event.kind === 'install.start') ctl.abort(new Error('kill'));
      },
    });
    const other = await runOn(host, options({ fingerprint: 'fp-2' }), { runId: 'run9' });
    assert.equal(other.result.report.error?.kind, 'lock-held');
    assert.match(other.result.report.error?.message ?? '', /same arguments|resume/);
  });
});
