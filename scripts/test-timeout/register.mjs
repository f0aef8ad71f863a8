// Loaded with --import by scripts/run-tests.mjs (and so by every test child process): points
// test files' `node:test` at node-test.mjs, which gives each test a default timeout.
import { register } from 'node:module';

register('./resolve-hook.mjs', import.meta.url);
