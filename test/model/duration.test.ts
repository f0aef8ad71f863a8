import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../src/model/duration.ts';
import { InputError } from '../../src/model/input-error.ts';

describe('durations', () => {
  it('parses the documented forms', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration(' 2H '), 7_200_000);
    assert.equal(parseDuration('1d2h3m4s'), 93_784_000);
    assert.equal(parseDuration('250ms'), 250);
  });

  it('rejects anything else with an InputError naming where', () => {
    for (const bad of ['', '10', 'm', '10 m', '1.5h', '-5s', '10x', '30m1h', '1h1h']) {
      assert.throws(
        () => parseDuration(bad, '--reboot-timeout'),
        (e: unknown) => e instanceof InputError && e.message.startsWith('--reboot-timeout:'),
        JSON.stringify(bad),
      );
    }
  });

  it('formats for humans and round-trips', () => {
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(3_600_000), '1h');
    assert.equal(formatDuration(0), '0ms');
    assert.equal(formatDuration(1500), '2s');
    for (const s of ['1h30m', '10m', '45s', '2d3h']) assert.equal(formatDuration(parseDuration(s)), s);
  });
});
