import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameBootTime } from '../../src/connector/host-wait.ts';

// Boot times reach the connector from different readers (the client's run.start, `wsus-client
// status` after a reboot) that may differ in sub-second precision and in how they write the
// offset. Today sameBootTime compares them as instants with a tolerance of under one second.
describe('sameBootTime', () => {
  it('the same instant written with another offset or precision is the same boot', () => {
    assert.equal(sameBootTime('2026-11-24T07:00:00+01:00', '2026-11-24T06:00:00Z'), true);
    assert.equal(sameBootTime('2026-11-24T06:00:00.000Z', '2026-11-24T06:00:00Z'), true);
  });

  it('tolerance today: boot times less than 1 s apart are the same boot, 1 s or more apart are not', () => {
    assert.equal(sameBootTime('2026-11-24T06:00:00.999Z', '2026-11-24T06:00:00Z'), true);
    assert.equal(sameBootTime('2026-11-24T06:00:00.400+00:00', '2026-11-24T06:00:00.000Z'), true);
    assert.equal(sameBootTime('2026-11-24T06:00:01Z', '2026-11-24T06:00:00Z'), false);
    assert.equal(sameBootTime('2026-11-24T06:05:00Z', '2026-11-24T06:00:00Z'), false);
  });

  it('text that is not a date compares exactly', () => {
    assert.equal(sameBootTime('', ''), true);
    assert.equal(sameBootTime('unknown', 'unknown'), true);
    assert.equal(sameBootTime('unknown', '2026-11-24T06:00:00Z'), false);
  });
});
