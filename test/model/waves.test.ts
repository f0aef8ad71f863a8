import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/model/input-error.ts';
import { failureLimit, parseFailureGate, parseWaves, planWaves } from '../../src/model/waves.ts';

describe('waves and failure gates', () => {
  it('parses counts, shares and rest', () => {
    assert.deepEqual(parseWaves('1, 10%,rest'), [
      { kind: 'count', n: 1 },
      { kind: 'percent', p: 10 },
      { kind: 'rest' },
    ]);
  });

  it('refuses empty waves, zero, over 100%, rest before the end, words', () => {
    for (const bad of ['', '1,,rest', '0', '0%', '150%', 'rest,1', 'canary', '-1', '1.5'])
      assert.throws(() => parseWaves(bad), InputError, bad);
  });

  it('plans 1,10%,rest over 25 servers as 1, 3 (10% rounds up), 21', () => {
    const waves = planWaves(parseWaves('1,10%,rest'), 25);
    assert.deepEqual(
      waves.map((w) => w.length),
      [1, 3, 21],
    );
    assert.deepEqual(
      waves.flat(),
      Array.from({ length: 25 }, (_, i) => i),
    );
  });

  it('servers past the last wave still run (a final wave); waves past the end are dropped', () => {
    assert.deepEqual(planWaves(parseWaves('1,2'), 5), [[0], [1, 2], [3, 4]]);
    assert.deepEqual(planWaves(parseWaves('1,10,rest'), 3), [[0], [1, 2]]);
  });

  it('failure budgets: a count, or a share of the fleet rounded up (at least 1)', () => {
    assert.equal(failureLimit(parseFailureGate('2'), 10), 2);
    assert.equal(failureLimit(parseFailureGate('20%'), 10), 2);
    assert.equal(failureLimit(parseFailureGate('10%'), 3), 1);
    for (const bad of ['0', '0%', '101%', 'x', '-1'])
      assert.throws(() => parseFailureGate(bad), InputError, bad);
  });
});
