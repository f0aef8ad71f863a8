// The hook runner adapter with real /bin/sh children: environment, output lines, exit codes,
// and a timeout that ends the whole process group.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectorEvent } from '../../src/connector/events.ts';
import { runHooks } from '../../src/connector/fleet/hooks.ts';
import { createHookRunner } from '../../src/local/hook-runner.ts';

describe('hook runner', () => {
  const run = createHookRunner({ PATH: process.env.PATH ?? '/usr/bin:/bin' });

  it('passes the WSUS_* variables and collects stdout and stderr lines', async () => {
    const r = await run({
      command: 'echo "$WSUS_SERVER/$WSUS_PHASE"; echo oops >&2; exit 3',
      env: { WSUS_SERVER: 'web01', WSUS_PHASE: 'before-server' },
      timeoutMs: 10_000,
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.timedOut, false);
    assert.deepEqual([...r.lines].sort(), ['oops', 'web01/before-server']);
  });

  it('a hook past its timeout is killed with its children and counts as timed out', async () => {
    const started = Date.now();
    const r = await run({ command: 'sleep 30 & sleep 30; echo never', env: {}, timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(r.lines, []);
  });

  it('runHooks: output in the job output, the first failing before-* hook stops the phase', async () => {
    const events: ConnectorEvent[] = [];
    const failed = await runHooks(
      {
        hooks: [
          { phase: 'before-server', command: 'echo one' },
          { phase: 'before-server', command: 'exit 4' },
          { phase: 'before-server', command: 'echo never' },
          { phase: 'after-server', command: 'echo other phase' },
        ],
        timeoutMs: 10_000,
        run,
      },
      'before-server',
      { server: 'web01', cycle: 0, runId: null, result: '', reportPath: '' },
      { sink: (e) => events.push(e), now: () => 0 },
    );
    assert.match(failed?.message ?? '', /hook before-server "exit 4" exited with 4/);
    const text = events.map((e) => (e.type === 'step' ? e.text : '')).join('\n');
    assert.match(text, /hook before-server \| one/);
    assert.doesNotMatch(text, /never|other phase/);
  });

  it('an interrupted run starts no hook', async () => {
    const ac = new AbortController();
    ac.abort();
    const failed = await runHooks(
      { hooks: [{ phase: 'before-server', command: 'exit 1' }], timeoutMs: 1000, run },
      'before-server',
      { server: 'web01', cycle: 0, runId: null, result: '', reportPath: '' },
      { sink: () => {}, now: () => 0, signal: ac.signal },
    );
    assert.equal(failed, null);
  });
});
