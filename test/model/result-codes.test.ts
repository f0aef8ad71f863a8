import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classicResultCode,
  defaultExitScheme,
  describeResultCode,
  type ExitScheme,
  FAILURE_CLASSES,
  FAILURE_KINDS,
  type FailureKind,
  failureClass,
  failureOutcome,
  posixExitCode,
  type RunOutcome,
  withOutputWarning,
  worstOutcome,
} from '../../src/model/result-codes.ts';

function o(over: Partial<RunOutcome>): RunOutcome {
  return {
    mode: 'install',
    rebooted: false,
    updatesFound: 0,
    anyFailed: false,
    failedAfterReboot: false,
    warnings: 0,
    ...over,
  };
}

// One row per classic code: the outcome, the code, and the POSIX exit code it maps to.
const SUCCESS_ROWS: [string, RunOutcome, number, number][] = [
  ['install: nothing to do', o({}), 0, 0],
  ['install: warnings only', o({ warnings: 1 }), 5, 5],
  ['install: rebooted (pending), nothing else', o({ rebooted: true }), 10, 0],
  ['install: rebooted, warnings', o({ rebooted: true, warnings: 2 }), 15, 5],
  ['install: installed', o({ updatesFound: 3 }), 100, 0],
  ['install: installed, warnings', o({ updatesFound: 1, warnings: 1 }), 105, 5],
  ['install: installed, rebooted', o({ updatesFound: 4, rebooted: true }), 110, 0],
  ['install: installed, rebooted, warnings', o({ updatesFound: 4, rebooted: true, warnings: 1 }), 115, 5],
  ['download: downloaded', o({ mode: 'download', updatesFound: 2 }), 100, 0],
  ['check: nothing available', o({ mode: 'check' }), 1000, 0],
  ['check: warnings', o({ mode: 'check', warnings: 1 }), 1005, 5],
  ['check: rebooted (pending + restart)', o({ mode: 'check', rebooted: true }), 1010, 0],
  ['check: rebooted, warnings', o({ mode: 'check', rebooted: true, warnings: 1 }), 1015, 5],
  ['check: available', o({ mode: 'check', updatesFound: 5 }), 1100, 10],
  ['check: available, warnings', o({ mode: 'check', updatesFound: 5, warnings: 1 }), 1105, 10],
  ['check: rebooted, available', o({ mode: 'check', updatesFound: 5, rebooted: true }), 1110, 10],
  [
    'check: rebooted, available, warnings',
    o({ mode: 'check', updatesFound: 5, rebooted: true, warnings: 1 }),
    1115,
    10,
  ],
  ['update failed, no reboot', o({ updatesFound: 1, anyFailed: true }), -1, 1],
  ['update failed after a reboot', o({ rebooted: true, anyFailed: true, failedAfterReboot: true }), 9, 1],
  ['update failed before a reboot', o({ rebooted: true, anyFailed: true }), -1, 1],
];

const FAILURE_ROWS: [FailureKind, number, number][] = [
  ['usage', -2, 2],
  ['unreachable', -3, 3],
  ['auth', -3, 3],
  ['host-key', -3, 3],
  ['access-denied', -3, 3],
  ['reboot-timeout', -4, 4],
  ['task-not-started', -5, 6],
  ['loop-detected', -6, 7],
  ['lock-held', -7, 8],
  ['client-failed', -8, 9],
  ['client-timeout', -14, 14],
  ['target-error', -8, 9],
  ['protocol', -8, 9],
  ['max-cycles', -9, 11],
  ['internal', -10, 70],
  ['interrupted', -11, 130],
  ['update-failed', -1, 1],
  ['not-started', -12, 12],
  ['hook', -13, 13],
  ['precheck', -20, 20],
];

describe('result codes', () => {
  for (const [name, outcome, classic, posix] of SUCCESS_ROWS) {
    it(`${name} → ${classic} / posix ${posix}`, () => {
      assert.equal(classicResultCode(outcome), classic);
      assert.equal(posixExitCode(outcome), posix);
    });
  }
  for (const [kind, classic, posix] of FAILURE_ROWS) {
    it(`failure ${kind} → ${classic} / posix ${posix}`, () => {
      const outcome = failureOutcome('install', kind);
      assert.equal(classicResultCode(outcome), classic);
      assert.equal(posixExitCode(outcome), posix);
    });
  }

  it('a connector failure wins over update results and mode', () => {
    const outcome = o({
      mode: 'check',
      updatesFound: 3,
      anyFailed: true,
      rebooted: true,
      failure: 'reboot-timeout',
    });
    assert.equal(classicResultCode(outcome), -4);
    assert.equal(posixExitCode(outcome), 4);
  });

  it('every failure kind is covered by the table and classes have distinct codes in both schemes', () => {
    assert.deepEqual(new Set(FAILURE_ROWS.map((r) => r[0])), new Set(FAILURE_KINDS));
    const classes = Object.values(FAILURE_CLASSES);
    assert.equal(new Set(classes.map((c) => c.opcon)).size, classes.length);
    assert.equal(new Set(classes.map((c) => c.posix)).size, classes.length);
    const successClassic = new Set(SUCCESS_ROWS.map((r) => r[2]).filter((c) => c !== -1));
    const successPosix = new Set([0, 5, 10]);
    for (const c of classes) {
      assert.ok(!successClassic.has(c.opcon), `${c.opcon} collides with a classic code`);
      assert.ok(!successPosix.has(c.posix), `${c.posix} collides with a posix success code`);
      assert.ok(c.posix >= 0 && c.posix <= 255);
    }
    assert.equal(failureClass('auth'), 'unreachable');
  });

  it('defaults to opcon on Windows and posix elsewhere', () => {
    assert.equal(defaultExitScheme('win32'), 'opcon');
    assert.equal(defaultExitScheme('linux'), 'posix');
    assert.equal(defaultExitScheme('darwin'), 'posix');
  });

  it('the worst outcome of a fleet decides: failure > warnings > available > success', () => {
    const ok = o({ updatesFound: 1 });
    const warn = o({ updatesFound: 1, warnings: 1 });
    const failed = o({ anyFailed: true });
    const timeout = failureOutcome('install', 'reboot-timeout');
    assert.equal(worstOutcome([ok, warn]), warn);
    assert.equal(worstOutcome([warn, failed, ok]), failed);
    assert.equal(worstOutcome([failed, timeout, ok]), timeout);
    assert.equal(worstOutcome([]), undefined);
  });

  it('servers a gate left untouched rank below the failure that closed the gate', () => {
    const failed = o({ anyFailed: true });
    const notStarted = failureOutcome('install', 'not-started');
    const warn = o({ updatesFound: 1, warnings: 1 });
    assert.equal(worstOutcome([notStarted, failed]), failed);
    assert.equal(worstOutcome([warn, notStarted]), notStarted);
    assert.equal(worstOutcome([notStarted, failureOutcome('install', 'hook')])?.failure, 'hook');
  });

  it('describes codes in words', () => {
    assert.match(describeResultCode(110), /installed, server rebooted/);
    assert.match(describeResultCode(1105), /check-only, updates available, with warnings/);
    assert.match(describeResultCode(-4), /reboot-timeout|did not come back/);
    assert.match(describeResultCode(9), /after the server was rebooted/);
  });
});

describe('withOutputWarning (a report that could not be written)', () => {
  for (const [code, exit, scheme, want] of [
    [0, 0, 'posix', [5, 5]],
    [110, 0, 'posix', [115, 5]],
    [105, 5, 'posix', [105, 5]],
    [1100, 10, 'posix', [1105, 10]],
    [0, 0, 'opcon', [5, 5]],
    [1110, 1110, 'opcon', [1115, 1115]],
    [-1, 1, 'posix', [-1, 1]],
    [9, 9, 'opcon', [9, 9]],
    [-3, -3, 'opcon', [-3, -3]],
  ] as [number, number, ExitScheme, [number, number]][]) {
    it(`${code} (exit ${exit}, ${scheme}) becomes ${want[0]} (exit ${want[1]})`, () => {
      const got = withOutputWarning({ resultCode: code, exitCode: exit }, scheme);
      assert.deepEqual([got.resultCode, got.exitCode], want);
    });
  }
});
