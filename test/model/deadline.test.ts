import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlineFromRuntime, parseDeadline } from '../../src/model/deadline.ts';
import { InputError } from '../../src/model/input-error.ts';

describe('maintenance window deadline', () => {
  const now = new Date(2026, 2, 1, 22, 30).getTime(); // 22:30 local

  it('HH:MM is the next such local time: later today, or tomorrow', () => {
    const later = new Date(parseDeadline('23:15', now));
    assert.deepEqual([later.getDate(), later.getHours(), later.getMinutes()], [1, 23, 15]);
    const tomorrow = new Date(parseDeadline('05:00', now));
    assert.deepEqual([tomorrow.getDate(), tomorrow.getHours(), tomorrow.getMinutes()], [2, 5, 0]);
  });

  it('an ISO 8601 instant needs its zone and must be in the future', () => {
    const future = new Date(now + 3_600_000).toISOString();
    assert.equal(parseDeadline(future, now), now + 3_600_000);
    assert.throws(() => parseDeadline(new Date(now - 1000).toISOString(), now), /already past/);
    assert.throws(() => parseDeadline('2026-03-02T05:00:00', now), InputError);
  });

  it('refuses nonsense with the flag named', () => {
    for (const bad of ['24:00', '7:99', 'tomorrow', '5am', ''])
      assert.throws(() => parseDeadline(bad, now), /--deadline/, bad);
  });

  it('--max-runtime counts from now', () => {
    assert.equal(deadlineFromRuntime('1h30m', now), now + 5_400_000);
    assert.throws(() => deadlineFromRuntime('0s', now), /--max-runtime/);
    assert.throws(() => deadlineFromRuntime('soon', now), /--max-runtime/);
  });
});
