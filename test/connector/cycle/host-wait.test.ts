import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameBootTime } from '../../../src/connector/cycle/host-wait.ts';

// Boot times reach the connector from different readers (the client's run.start, `wsus-client
// status` after a reboot) that may differ in sub-second precision and in how they write the
// offset. Today sameBootTime compares them as instants with a tolerance of under one second.
describe('sameBootTime', () => {
  it('the same instant written with another offset or precision is the same boot', () => {
    assert.equal(sameBootTime('2026-11-24T07:00:00+01:00', '2026-11-24T06:00:00Z'), true);
    assert.equal(sameBootTime('2026-11-24T06:00:00.000Z', '2026-11-24T06:00:00Z'), true);
  });

  it('no tolerance: boot times even a microsecond apart are different boots (a quick reboot cannot hide)', () => {
    assert.equal(sameBootTime('2026-11-24T06:00:00.999Z', '2026-11-24T06:00:00Z'), false);
    assert.equal(sameBootTime('2026-11-24T06:00:00.400+00:00', '2026-11-24T06:00:00.000Z'), false);
    assert.equal(sameBootTime('2026-11-24T06:00:00.000001Z', '2026-11-24T06:00:00Z'), false);
    assert.equal(sameBootTime('2026-11-24T07:00:00.123456+01:00', '2026-11-24T06:00:00.123456Z'), true);
    assert.equal(sameBootTime('2026-11-24T06:00:01Z', '2026-11-24T06:00:00Z'), false);
    assert.equal(sameBootTime('2026-11-24T06:05:00Z', '2026-11-24T06:00:00Z'), false);
  });

  it('text that is not a date compares exactly', () => {
    assert.equal(sameBootTime('', ''), true);
    assert.equal(sameBootTime('unknown', 'unknown'), true);
    assert.equal(sameBootTime('unknown', '2026-11-24T06:00:00Z'), false);
  });
});
