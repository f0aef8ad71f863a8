import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  collectWarnings,
  detectLoop,
  finalOutcome,
  nextStep,
} from '../../../src/connector/cycle/analysis.ts';
import type { CycleRecord } from '../../../src/connector/cycle/record.ts';
import type { UpdateOutcome } from '../../../src/model/update.ts';
import type { ActivityEvent, RunSummary } from '../../../src/protocol/messages.ts';

function upd(id: string, status: UpdateOutcome['status'], extra: Partial<UpdateOutcome> = {}): UpdateOutcome {
  return {
    id,
    kb: `KB${id}`,
    title: id,
    classification: 'Updates',
    severity: null,
    sizeBytes: 1,
    status,
    ...extra,
  };
}

function ev(kind: string, message: string, data?: Record<string, unknown>): ActivityEvent {
  return {
    type: 'event',
    seq: 0,
    time: '2026-01-01T00:00:00Z',
    level: 'warn',
    kind,
    message,
    ...(data ? { data } : {}),
  };
}

function cycle(n: number, s: Partial<RunSummary>, extra: Partial<CycleRecord> = {}): CycleRecord {
  return {
    n,
    summary: {
      runId: 'r',
      cycle: n,
      mode: 'install',
      bootTime: `boot${n}`,
      rebootPendingAtStart: false,
      rebootRequired: false,
      willReboot: false,
      updates: [],
      warnings: [],
      ...s,
    },
    events: [],
    fromLogFile: false,
    startedAfterReboot: n > 1,
    rebooted: false,
    bootTimeAfter: null,
    ...extra,
  };
}

describe('cycle analysis', () => {
  it('continues while the client reboots, stops otherwise, fails at max cycles', () => {
    const c1 = cycle(
      1,
      { willReboot: true, rebootRequired: true, updates: [upd('1', 'installed')] },
      { rebooted: true },
    );
    assert.deepEqual(nextStep([c1], 8), { kind: 'continue' });
    assert.equal(nextStep([c1], 1).kind, 'fail');
    assert.deepEqual(nextStep([c1, cycle(2, {})], 8), { kind: 'stop' });
  });

  it('a client run error fails with client-failed naming the HRESULT', () => {
    const step = nextStep(
      [cycle(1, { error: { kind: 'search-failed', message: 'boom', hresult: 0x8024402c } })],
      8,
    );
    assert.equal(step.kind, 'fail');
    assert.ok(
      step.kind === 'fail' &&
        step.failure === 'client-failed' &&
        /WU_E_PT_WINHTTP_NAME_NOT_RESOLVED|0x8024402C/.test(step.message),
    );
  });

  it('detects the same update failing twice, an update installed twice, and a reappearing update', () => {
    const f1 = cycle(1, {
      willReboot: true,
      updates: [upd('a', 'failed', { hresult: 1 }), upd('b', 'installed')],
    });
    assert.match(
      detectLoop([f1, cycle(2, { updates: [upd('a', 'failed', { hresult: 1 })] })]) ?? '',
      /KBa failed twice/,
    );
    assert.match(
      detectLoop([f1, cycle(2, { updates: [upd('b', 'installed')] })]) ?? '',
      /KBb was installed in cycle 1 and again in cycle 2/,
    );
    const re = cycle(
      1,
      { updates: [upd('d', 'installed')] },
      { events: [ev('update.reappeared', 'x', { kb: 'KBd' })] },
    );
    assert.match(detectLoop([re]) ?? '', /KBd came back/);
    assert.equal(detectLoop([f1, cycle(2, { updates: [upd('a', 'installed')] })]), null);
  });

  it('two cycles in a row with no progress but a reboot request is a loop; one is not', () => {
    const p1 = cycle(
      1,
      { rebootPendingAtStart: true, rebootRequired: true, willReboot: true },
      { rebooted: true },
    );
    const p2 = cycle(2, { rebootPendingAtStart: true, rebootRequired: true, willReboot: true });
    assert.equal(detectLoop([p1]), null);
    assert.match(detectLoop([p1, p2]) ?? '', /installed nothing/);
  });

  it('an include entry counts as unmatched only if no cycle matched it', () => {
    const w = 'include-list entry KB9 matched no update that is needed';
    const c1 = cycle(1, { warnings: [w] }, { events: [ev('include.unmatched', w, { entry: 'KB9' })] });
    const w1 = 'include-list entry KB1 matched no update that is needed';
    const c2 = cycle(
      2,
      { warnings: [w, w1] },
      {
        events: [ev('include.unmatched', w, { entry: 'KB9' }), ev('include.unmatched', w1, { entry: 'KB1' })],
      },
    );
    assert.deepEqual(collectWarnings([c1, c2], 'install'), [w]);
  });

  it('a pending reboot resolved by a reboot is not a warning; one left without --restart is', () => {
    const resolved = cycle(
      1,
      {
        rebootPendingAtStart: true,
        rebootRequired: true,
        willReboot: true,
        warnings: ['a reboot was pending at start: nothing was installed'],
      },
      { rebooted: true },
    );
    assert.deepEqual(collectWarnings([resolved, cycle(2, {})], 'install'), []);
    const left = cycle(1, {
      rebootPendingAtStart: true,
      rebootRequired: true,
      warnings: ['a reboot was pending at start: nothing was installed'],
    });
    assert.match(
      collectWarnings([left], 'install').join(),
      /pending on the server, but --restart was not given/,
    );
  });

  it('final outcome: found counts by mode; failures after a reboot are flagged', () => {
    const check = finalOutcome(
      [
        cycle(1, {
          mode: 'check',
          updates: [upd('a', 'available'), upd('b', 'filtered', { filteredBy: 'title' })],
        }),
      ],
      'check',
    );
    assert.equal(check.outcome.updatesFound, 1);
    const after = finalOutcome(
      [
        cycle(1, { willReboot: true, updates: [upd('a', 'installed')] }, { rebooted: true }),
        cycle(2, { updates: [upd('b', 'failed', { hresult: 5 })] }),
      ],
      'install',
    );
    assert.equal(after.outcome.failedAfterReboot, true);
    assert.equal(after.outcome.updatesFound, 1);
    assert.equal(after.error?.kind, 'update-failed');
  });

  it('a halt decides before the cycles: a vetoing hook fails the run, the deadline stops it', () => {
    const c1 = cycle(1, { willReboot: true, rebootRequired: true, updates: [upd('1', 'installed')] });
    assert.deepEqual(nextStep([c1], 8, { kind: 'hook', message: 'hook failed' }), {
      kind: 'fail',
      failure: 'hook',
      message: 'hook failed',
    });
    const deadline = { at: '2026-11-24T06:00:00.000Z', stopped: 'the reboot after cycle 1' };
    assert.deepEqual(nextStep([c1], 8, { kind: 'deadline', deadline }), { kind: 'stop', deadline });
  });

  it("the connector's own warnings count for the trailing 5: deadline, failed after-reboot hook", () => {
    const history = [
      cycle(
        1,
        { willReboot: true, updates: [upd('a', 'installed')] },
        { rebooted: true, afterRebootHookFailure: 'health check failed' },
      ),
      cycle(2, {}),
    ];
    const deadline = { at: '2026-11-24T06:00:00.000Z', stopped: 'cycle 3' };
    const final = finalOutcome(history, 'install', undefined, deadline);
    assert.deepEqual(final.warnings, [
      'deadline 2026-11-24T06:00:00.000Z passed: cycle 3 not started; run again to finish',
      'health check failed',
    ]);
    assert.equal(final.outcome.warnings, 2);
    assert.equal(finalOutcome(history.slice(1), 'install').outcome.warnings, 0);
  });
});
