// Guards of the state machine that a wrong change would otherwise slip past: the run.end summary
// must belong to the job, a resumed task that has not run yet is started, the task is deleted
// only once its client has exited. All through the fake host's real client and WUA.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TASK_NAME } from '../../src/connector/paths.ts';
import type { TargetAccess } from '../../src/connector/ports.ts';
import { MSRT } from './catalog-fixture.ts';
import type { FakeHost } from './fake-host.ts';
import { makeHost, options, runOn } from './harness.ts';

/** A session on which the staged job.json says another cycle: the client then answers for it. */
function jobForOtherCycle(host: FakeHost, pipeWorks = true): TargetAccess {
  const session = host.session();
  const write = session.writeFile.bind(session);
  session.writeFile = async (path, data) => {
    if (!path.endsWith('\\job.json')) return write(path, data);
    const job = JSON.parse(data.toString());
    return write(path, JSON.stringify({ ...job, cycle: 7 }));
  };
  if (!pipeWorks) {
    const open = session.openPipe.bind(session);
    session.openPipe = async (pipe, clientPath) => {
      const conn = await open(pipe, clientPath);
      conn.destroy();
      return conn;
    };
  }
  return session;
}

describe('orchestrator: guards', () => {
  it('refuses a run.end on the pipe that belongs to another cycle (protocol error naming both)', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const run = await runOn(host, options(), { target: jobForOtherCycle(host) });
    assert.equal(run.result.report.error?.kind, 'protocol');
    assert.match(run.result.report.error?.message ?? '', /run1 cycle 7, expected run1 cycle 1/);
    assert.notEqual(run.result.resultCode, 100);
  });

  it('refuses a run.end read from log.jsonl that belongs to another cycle', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const run = await runOn(host, options({ ackTimeoutSeconds: 60 }), {
      target: jobForOtherCycle(host, false),
    });
    assert.equal(run.result.report.error?.kind, 'protocol');
    assert.match(run.result.report.error?.message ?? '', /run1 cycle 7, expected run1 cycle 1/);
  });

  it('a resumed cycle whose task has not run yet (start delay pending) is started at once', async () => {
    const { host, clock } = makeHost({ catalog: [MSRT] });
    const delay = 3 * 3_600_000;
    const ctl = new AbortController();
    const killed = await runOn(host, options({ startDelayMs: delay }), {
      signal: ctl.signal,
      onEvent: (e) => {
        if (e.type === 'step' && /its trigger fires at/.test(e.text)) ctl.abort(new Error('kill'));
      },
    });
    assert.equal(killed.result.report.error?.kind, 'interrupted');
    assert.equal(host.tasks.get(TASK_NAME)?.started, false, 'the trigger has not fired');
    const t0 = clock.now();
    const runsBefore = host.calls.filter((c) => c.op === 'runTask').length;
    const resumed = await runOn(host, options({ startDelayMs: delay }), { runId: 'run-new' });
    assert.equal(resumed.result.resultCode, 100);
    assert.match(resumed.output, /had not run yet; started it/);
    assert.equal(host.calls.filter((c) => c.op === 'runTask').length, runsBefore + 1);
    assert.ok(clock.now() - t0 < delay, 'it did not wait for the trigger');
    assert.equal(host.attempts.get(MSRT.id), 1);
  });

  it('deletes the task only once its client has exited, so its Last Result is final', async () => {
    const { host } = makeHost({ catalog: [MSRT] });
    const session = host.session();
    const del = session.deleteTask.bind(session);
    const seen: number[] = [];
    session.deleteTask = async (name) => {
      const t = host.tasks.get(name);
      if (t) seen.push(t.lastResult);
      return del(name);
    };
    const run = await runOn(host, options(), { target: session });
    assert.equal(run.result.resultCode, 100);
    assert.deepEqual(host.deletedWhileRunning, []);
    assert.deepEqual(seen, [0], 'the client exit code 0 is the Last Result when the task goes');
  });
});
