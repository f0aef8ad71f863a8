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
} as unknown as TargetRunOptions;

describe('cycle task timing', () => {
  it('xs:duration to milliseconds', () => {
    assert.equal(xsDurationMs('PT8H'), 8 * 3_600_000);
    assert.equal(xsDurationMs('P1DT2H30M'), 26.5 * 3_600_000);
    assert.equal(xsDurationMs('PT0S'), 0);
    assert.ok(Number.isNaN(xsDurationMs('8h')));
  });
  it("the job carries the client's deadline; EndBoundary outlasts it and the ack wait", () => {
    const job = buildJob(opts, 'r1', 1, 'x'.repeat(43));
    assert.equal(job.clientTimeoutSeconds, 8 * 3600, 'the install default');
    const start = new Date('2026-11-29T10:00:00Z');
    const t = cycleTask(opts, job, start);
    const runMayEnd = start.getTime() + opts.startTimeoutMs + 8 * 3_600_000 + 60_000;
    assert.ok((t.endBoundary?.getTime() ?? 0) > runMayEnd);
    assert.ok(xsDurationMs(t.executionTimeLimit) > 8 * 3_600_000 + 60_000);
    const short = { ...opts, clientTimeoutMs: 90_000 };
    const shortJob = buildJob(short, 'r1', 1, 'x'.repeat(43));
    assert.equal(shortJob.clientTimeoutSeconds, 90);
    const ts = cycleTask(short, shortJob, start);
    assert.ok((ts.endBoundary?.getTime() ?? 0) > start.getTime() + opts.startTimeoutMs + 90_000 + 60_000);
    assert.ok((ts.endBoundary?.getTime() ?? 0) < runMayEnd, 'sized from the deadline, not a fixed 8h');
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
