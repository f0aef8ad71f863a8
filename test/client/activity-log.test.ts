import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ActivityLog } from '../../src/client/activity-log.ts';
import { clientMessageSchema } from '../../src/protocol/messages.ts';
import { emptySummary } from '../protocol/messages-fixture.ts';

describe('ActivityLog', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-log-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('numbers events from 0, writes each one at once, streams only up to run.end', () => {
    const file = join(dir, 'log.jsonl');
    let t = 0;
    const log = new ActivityLog({ filePath: file, now: () => new Date(Date.UTC(2024, 9, 8, 6, 0, t++)) });
    const live: string[] = [];
    log.subscribe((m) => live.push(m.type === 'event' ? m.kind : m.type));
    log.emit('info', 'run.start', 'go', { runId: 'r' });
    assert.equal(readFileSync(file, 'utf8').split('\n').length, 2, 'written before emit returns');
    log.emit('warn', 'x', 'careful');
    const end = log.finish(emptySummary());
    assert.equal(end.seq, 2);
    log.emit('info', 'ack.received', 'after the end');
    log.close();

    assert.deepEqual(live, ['run.start', 'x', 'run.end']);
    assert.equal(log.events.length, 2);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.seq),
      [0, 1, 2, 3],
    );
    for (const l of lines) clientMessageSchema.parse(l);
    assert.equal(lines[0].time, '2024-10-08T06:00:00.000Z');
    assert.equal(lines[3].kind, 'ack.received');
    assert.equal(statSync(file).mode & 0o077, 0, 'admin-only file');
    assert.throws(() => log.finish(end.summary), /already/);
  });

  it('keeps logging in memory when the file becomes unwritable, and says so once', () => {
    const errors: string[] = [];
    const log = new ActivityLog({
      filePath: join(dir, 'l2.jsonl'),
      onFileError: (e) => errors.push(e.message),
    });
    // Simulate a vanished descriptor (e.g. the volume went away).
    (log as unknown as { fd: number }).fd = 987654;
    log.emit('info', 'a', 'a');
    log.emit('info', 'b', 'b');
    assert.equal(errors.length, 1);
    assert.equal(log.events.length, 2);
  });
});
