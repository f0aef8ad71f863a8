// --self-heal happens once per run: a cycle after one that reset the store is told not to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selfHealOnce } from '../../../src/connector/cycle/job-stage.ts';
import type { CycleRecord } from '../../../src/connector/cycle/record.ts';
import type { TargetRunOptions } from '../../../src/connector/run-options.ts';

const opts = { selfHeal: true } as TargetRunOptions;
const cycle = (kinds: string[]): CycleRecord =>
  ({
    n: 1,
    events: kinds.map((kind, seq) => ({ type: 'event', seq, time: '', level: 'info', kind, message: '' })),
  }) as unknown as CycleRecord;

describe('selfHealOnce', () => {
  it('keeps --self-heal until a cycle reset the store', () => {
    assert.equal(selfHealOnce(opts, []).selfHeal, true);
    assert.equal(selfHealOnce(opts, [cycle(['run.start', 'download.result'])]).selfHeal, true);
    assert.equal(selfHealOnce(opts, [cycle(['run.start', 'selfheal.reset'])]).selfHeal, false);
  });
  it('leaves a run without --self-heal alone', () => {
    const off = { selfHeal: false } as TargetRunOptions;
    assert.equal(selfHealOnce(off, [cycle(['selfheal.reset'])]), off);
  });
});
