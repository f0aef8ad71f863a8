// Loaded with --import by scripts/run-tests.mjs (and so by every test child process): points
// test files' `node:test` at node-test.mjs, which gives each test a default timeout.
import { register } from 'node:module';

register('./resolve-hook.mjs', import.meta.url);

// A test file's child streams its verdicts to the runner over its stdout, a pipe, whose writes
// are asynchronous on Linux; --test-force-exit then calls process.exit() with frames still
// buffered and the runner silently reports fewer tests than ran (nodejs/node#64833). Blocking
// writes make every frame reach the pipe before the exit. See docs/architecture.md "Tests".
const stdoutHandle = /** @type {{ _handle?: { setBlocking?: (on: boolean) => void } }} */ (process.stdout)
  ._handle;
if (process.env.NODE_TEST_CONTEXT === 'child-v8') stdoutHandle?.setBlocking?.(true);
