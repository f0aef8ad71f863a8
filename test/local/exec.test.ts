// The Windows adapters' one door to child_process, run here against real POSIX tools: stdin is at
// end-of-file unless `input` is given, input reaches the child whole, and a timeout is reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createExec } from '../../src/local/exec.ts';

const exec = createExec();

test('without input the child reads end-of-file at once (a prompt cannot hang)', async () => {
  const r = await exec('cat', [], { timeoutMs: 10_000 });
  assert.deepEqual(r, { stdout: '', stderr: '', exitCode: 0 });
});

test('input reaches the child on stdin, then end-of-file; it is not in argv', async () => {
  const r = await exec('sh', ['-c', 'wc -l; echo "$#"'], { timeoutMs: 10_000, input: 'a\nb c\n' });
  assert.deepEqual(
    r.stdout.split('\n').map((l) => l.trim()),
    ['2', '0', ''],
  );
});

test('a child that exits without reading its input is just its exit code', async () => {
  const r = await exec('sh', ['-c', 'exit 3'], { timeoutMs: 10_000, input: 'x'.repeat(1 << 20) });
  assert.equal(r.exitCode, 3);
});

test('a timeout kills the child and says so', async () => {
  const r = await exec('sleep', ['5'], { timeoutMs: 200 });
  assert.equal(r.exitCode, null);
  assert.match(r.error ?? '', /timed out after 200ms/);
});
