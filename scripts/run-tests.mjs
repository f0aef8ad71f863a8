// Finds every test file under test/ and hands them to Node's built-in runner with tsx,
// because Node 20's `--test` does not expand globs or pick up .ts files by itself.
// A hang must fail, not stall CI: every test gets a timeout (scripts/test-timeout/, default
// 120 s, WSUS_TEST_TIMEOUT_MS to change it) and fails with its name; each file has a backstop
// (--test-timeout, which Node 20 applies per file) for hangs outside a test, such as a hook.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = findTests('test').filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const FILE_TIMEOUT_MS = 600_000;
const timeoutHook = new URL('./test-timeout/register.mjs', import.meta.url).href;
const args = [
  '--import',
  'tsx',
  '--import',
  timeoutHook,
  '--test',
  // A test that timed out may leave a server open; the file's process must still end.
  '--test-force-exit',
  `--test-timeout=${FILE_TIMEOUT_MS}`,
  '--test-reporter=spec',
  ...files,
];
const res = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  // WSUS_FROM_SOURCE: the bins (and the lab's spawned clients) run the sources under test, never
  // a bundle built before the last edit.
  env: { ...process.env, NODE_OPTIONS: '', WSUS_FROM_SOURCE: '1' },
});
process.exit(res.status ?? 1);
