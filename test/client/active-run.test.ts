import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readActiveRun, removeActiveRun, writeActiveRun } from '../../src/client/active-run.ts';

describe('active-run marker', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsus-marker-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const marker = (over = {}) => ({
    runId: 'r1',
    cycle: 2,
    pipe: 'p',
    bootTime: 'boot-A',
    pid: process.pid,
    startedAt: 'now',
    ...over,
  });

  it('reports the run for the same boot and a live process', () => {
    const path = join(dir, 'a', 'active.json');
    writeActiveRun(path, marker());
    assert.deepEqual(readActiveRun(path, 'boot-A'), { runId: 'r1', cycle: 2, pipe: 'p', pid: process.pid });
  });

  it('treats a marker from another boot or a dead process as stale', () => {
    const path = join(dir, 'b', 'active.json');
    writeActiveRun(path, marker());
    assert.equal(readActiveRun(path, 'boot-B'), null);
    writeActiveRun(path, marker({ pid: 2 ** 22 + 12345 }));
    assert.equal(readActiveRun(path, 'boot-A'), null);
    assert.equal(readActiveRun(join(dir, 'none.json'), 'boot-A'), null);
  });

  it('is removed only by the run that wrote it', () => {
    const path = join(dir, 'c', 'active.json');
    writeActiveRun(path, marker({ runId: 'newer' }));
    removeActiveRun(path, 'r1', 2);
    assert.ok(existsSync(path));
    removeActiveRun(path, 'newer', 2);
    assert.ok(!existsSync(path));
  });
});
