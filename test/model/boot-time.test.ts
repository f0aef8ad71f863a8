import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootTimeFromCim,
  cimDateTimeToIso,
  formatCimDateTime,
  sameBootTime,
} from '../../src/model/boot-time.ts';

describe('boot time', () => {
  it('CIM DATETIME converts to ISO with all six fraction digits and the offset', () => {
    assert.equal(cimDateTimeToIso('20261124100000.412345+060'), '2026-11-24T10:00:00.412345+01:00');
    assert.equal(cimDateTimeToIso('20261124100000.000000-300'), '2026-11-24T10:00:00.000000-05:00');
    assert.equal(cimDateTimeToIso('2026-11-24'), null);
    assert.throws(() => bootTimeFromCim(''), /CIM DATETIME/);
  });
  it('formats an instant the way WMI prints it', () => {
    const ms = Date.parse('2026-11-24T09:00:00.412Z');
    assert.equal(formatCimDateTime(ms, 60), '20261124100000.412000+060');
    assert.equal(formatCimDateTime(ms, -300), '20261124040000.412000-300');
  });
  it('compares exactly: 0.4 s apart is another boot; one instant in two zones is the same', () => {
    assert.equal(sameBootTime('2026-11-24T10:00:00.000000+00:00', '2026-11-24T10:00:00.400000+00:00'), false);
    assert.equal(sameBootTime('2026-11-24T10:00:00.000001Z', '2026-11-24T10:00:00.000000Z'), false);
    assert.equal(sameBootTime('2026-11-24T11:00:00.412345+01:00', '2026-11-24T10:00:00.412345Z'), true);
    assert.equal(sameBootTime('20261124110000.412345+060', '2026-11-24T10:00:00.412345Z'), true);
    assert.equal(sameBootTime('garbage', 'garbage'), true);
    assert.equal(sameBootTime('garbage', 'other'), false);
  });
});
