import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildJob, cycleTask, targetClockOffsetMs } from '../../../src/connector/cycle/job-stage.ts';
import type { TargetRunOptions } from '../../../src/connector/run-options.ts';
import { xsDurationMs } from '../../../src/model/xs-duration.ts';

const opts = {
  mode: 'install',
  selection: {},
  source: 'default',
  restart: true,
  ackTimeoutSeconds: 60,
  clientPath: 'C:\\wsus\\wsus-client.exe',
  startTimeoutMs: 120_000,
  startDelayMs: 0,
  executionTimeLimit: 'PT8H',
} as unknown as TargetRunOptions;

describe('cycle task timing', () => {
  it('xs:duration to milliseconds', () => {
    assert.equal(xsDurationMs('PT8H'), 8 * 3_600_000);
    assert.equal(xsDurationMs('P1DT2H30M'), 26.5 * 3_600_000);
    assert.equal(xsDurationMs('PT0S'), 0);
    assert.ok(Number.isNaN(xsDurationMs('8h')));
  });
  it('EndBoundary lies past the start window and the whole ExecutionTimeLimit', () => {
    const job = buildJob(opts, 'r1', 1, 'x'.repeat(43));
    const start = new Date('2026-11-29T10:00:00Z');
    const t = cycleTask(opts, job, start);
    const runMayEnd = start.getTime() + opts.startTimeoutMs + 8 * 3_600_000;
    assert.ok((t.endBoundary?.getTime() ?? 0) > runMayEnd);
    const noLimit = cycleTask({ ...opts, executionTimeLimit: 'PT0S' }, job, start);
    assert.equal(noLimit.endBoundary, undefined);
  });
  it("the target's clock offset comes from status.now, 0 when absent", () => {
    assert.equal(
      targetClockOffsetMs({ now: '2026-11-29T10:10:00.000Z' }, Date.parse('2026-11-29T10:00:00Z')),
      600_000,
    );
    assert.equal(targetClockOffsetMs({}, 5), 0);
    assert.equal(targetClockOffsetMs(null, 5), 0);
  });
});
