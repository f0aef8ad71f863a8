import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';

const watchdog = new URL('../../src/cli/main-thread-watchdog.ts', import.meta.url).href;

/** Runs `body` in a child process with a watchdog of `boundMs`; the child's outcome. */
function child(boundMs: number, body: string) {
  const script = `
    import { startMainThreadWatchdog } from ${JSON.stringify(watchdog)};
    const stop = startMainThreadWatchdog({ boundMs: ${boundMs}, beatMs: 50 });
    ${body}
  `;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { ...r, ms: Date.now() - started };
}

it('ends a process whose main thread is stuck, with the error and the internal result line', () => {
  // Atomics.wait blocks the main thread as a native deadlock does: no timer, no signal handler runs.
  const r = child(
    500,
    'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000); console.log("woke");',
  );
  assert.equal(r.signal, 'SIGKILL', `ended by ${r.signal ?? r.status}`);
  assert.equal(r.stdout, 'Result code: -10\n');
  assert.match(r.stderr, /internal error: the connector's main thread has not run for 1 s/);
  assert.ok(r.ms < 25_000, `ended after ${r.ms} ms, long before the 30 s block`);
});

it('leaves a busy but turning main thread alone, and neither it nor the beat keeps the process alive', () => {
  const r = child(
    400,
    `let n = 0;
     const t = setInterval(() => {
       const until = Date.now() + 150; while (Date.now() < until) {}
       if (++n === 8) { clearInterval(t); console.log('done'); }
     }, 10);`,
  );
  assert.equal(r.status, 0, `ended by ${r.signal ?? r.status}: ${r.stderr}`);
  assert.equal(r.stdout, 'done\n');
  const stopped = child(400, 'stop(); console.log("stopped");');
  assert.equal(stopped.status, 0);
  assert.equal(stopped.stdout, 'stopped\n');
});
