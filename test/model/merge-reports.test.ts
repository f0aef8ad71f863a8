import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeReports } from '../../src/model/merge-reports.ts';
import type { ServerReport } from '../../src/model/report.ts';

function rep(server: string, resultCode: number, over: Partial<ServerReport> = {}): ServerReport {
  return {
    server,
    mode: 'install',
    runId: 'r',
    resultCode,
    exitCode: 0,
    exitCodes: 'posix',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T01:00:00Z',
    rebooted: resultCode === 110,
    cycles: [],
    updates: [],
    warnings: [],
    ...over,
  };
}

describe('mergeReports', () => {
  it('worst of: an unreachable server outranks a failed update, which outranks success', () => {
    const m = mergeReports([
      rep('a', 110),
      rep('b', -1),
      rep('c', -3, { error: { kind: 'unreachable', message: 'x' } }),
      rep('d', 0),
    ]);
    assert.equal(m.resultCode, -3);
    assert.equal(m.exitCode, 3);
    assert.deepEqual(
      [...m.counts].sort(),
      [
        [-1, 1],
        [-3, 1],
        [0, 1],
        [110, 1],
      ].sort(),
    );
  });

  it('all successes: the larger classic code wins the tie (110 over 100), exit 0', () => {
    const m = mergeReports([rep('a', 100), rep('b', 110), rep('c', 0)]);
    assert.equal(m.resultCode, 110);
    assert.equal(m.exitCode, 0);
  });

  it('warnings give 5 in posix, 9 (failed after a reboot) stays an update failure', () => {
    assert.equal(mergeReports([rep('a', 115), rep('b', 110)]).exitCode, 5);
    const m = mergeReports([rep('a', 9), rep('b', 110)], 'opcon');
    assert.equal(m.resultCode, 9);
    assert.equal(m.exitCode, 9);
  });

  it('a server in two reports keeps the run that finished last', () => {
    const m = mergeReports([
      rep('A', -3, { finishedAt: '2026-01-01T01:00:00Z' }),
      rep('a', 110, { finishedAt: '2026-01-01T02:00:00Z' }),
    ]);
    assert.equal(m.reports.length, 1);
    assert.equal(m.reports[0]?.resultCode, 110);
    assert.deepEqual(m.duplicates, ['a']);
  });

  it('no report at all is 0', () => {
    assert.equal(mergeReports([]).resultCode, 0);
  });
});
