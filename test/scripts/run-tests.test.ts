// The test runner must count every test that ran: with --test-force-exit a child's buffered
// verdicts were once cut off by its exit, and the run passed with fewer tests than it had.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('../../scripts/run-tests.mjs', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const FILES = 4;
const TESTS_PER_FILE = 100;

/** Runs the runner in `cwd` and resolves with its output, killed after `ms`. */
function runRunner(cwd: string, ms: number): Promise<string> {
  const env = { ...process.env };
  // Inherited from this test's own child, it would make the nested runner act as a child.
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER], { cwd, env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

test('every test of files with a large output is counted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wsus-runner-'));
  try {
    await mkdir(join(dir, 'test'));
    // The runner loads tsx from the folder it runs in.
    await symlink(NODE_MODULES, join(dir, 'node_modules'));
    // Long names make each file's verdict stream far larger than a pipe's buffer.
    const body = `import { test } from 'node:test';
const name = 'x'.repeat(20000);
for (let i = 1; i <= ${TESTS_PER_FILE}; i++) test(\`t\${i} \${name}\`, () => {});
`;
    for (let f = 0; f < FILES; f++) await writeFile(join(dir, 'test', `f${f}.test.ts`), body);
    const out = await runRunner(dir, 90_000);
    const counted = /^ℹ tests (\d+)$/m.exec(out)?.[1];
    assert.equal(Number(counted), FILES * TESTS_PER_FILE, out.slice(-2000));
    assert.match(out, new RegExp(`^ℹ pass ${FILES * TESTS_PER_FILE}$`, 'm'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
