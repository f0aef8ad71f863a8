// `node:test` with a default per-test timeout. Node 20's --test-timeout applies to a whole test
// FILE in the parent runner (it cancels the file without naming a test) and is not passed on to
// the tests inside it, so a hang would only say which file. Here every it()/test() that sets no
// timeout of its own gets WSUS_TEST_TIMEOUT_MS, and a hang fails with that test's name.
import * as nodeTest from 'node:test';

const TIMEOUT_MS = Number(process.env.WSUS_TEST_TIMEOUT_MS) || 120_000;

function withTimeout(fn) {
  return (...args) => {
    // it([name][, options][, fn]): find or insert the options object.
    const i = typeof args[0] === 'string' || args[0] === undefined ? 1 : 0;
    if (typeof args[i] !== 'object' || args[i] === null) args.splice(i, 0, {});
    if (args[i].timeout === undefined) args[i] = { ...args[i], timeout: TIMEOUT_MS };
    return fn(...args);
  };
}

function timed(fn) {
  return Object.assign(withTimeout(fn), {
    only: withTimeout(fn.only),
    skip: fn.skip,
    todo: fn.todo,
  });
}

export const it = timed(nodeTest.it);
export const test = timed(nodeTest.test);
export const { describe, suite, before, after, beforeEach, afterEach, mock, run } = nodeTest;
export default test;
