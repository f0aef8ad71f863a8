// Task timing on a target whose clock is off the controller's, end to end through the lab: the
// lab's Task Scheduler reads StartBoundary/EndBoundary on the host's own clock and deletes an
// expired task DeleteExpiredTaskAfter past its EndBoundary (docs/lab.md "Task expiry").
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readHostSummary } from '../../src/lab/host-state.ts';
import { type E2eLab, e2eLab, upd } from './lab-fixture.ts';

describe('target clock and task expiry through the lab', () => {
  let e: E2eLab;
  const a = upd('a', { kb: 'KB5044310' });
  const b = upd('b', { kb: 'KB5044311' });
  const hostDir = (name: string) => join(e.lab.hosts.find((h) => h.name === name)?.diskDir ?? '', '..');
  before(async () => {
    e = await e2eLab({
      timeScale: 0.001,
      hosts: [
        // 70 minutes ahead: a task timed by the controller's clock is past EndBoundary + PT1H on arrival.
        { name: 'ahead', catalog: ['a'], clockSkewSeconds: 4200 },
        // 10 minutes behind: a trigger timed by the controller's clock fires 10 minutes late.
        { name: 'behind', catalog: ['b'], clockSkewSeconds: -600 },
      ],
      catalog: [a, b],
    });
  });
  after(async () => {
    await e.close();
  });

  it('a target 70 minutes ahead: the task is not expired on arrival, the run completes', async () => {
    const r = await e.run('ahead', ['--restart']);
    assert.equal(r.report.resultCode, 100, r.out);
    assert.match(r.out, /clock is 1h10m ahead of this controller/);
    assert.ok((await readHostSummary(hostDir('ahead'))).installedKbs.includes('KB5044310'));
  });

  it("a target 10 minutes behind: a delayed trigger fires on the target's clock, in time", async () => {
    const r = await e.run('behind', ['--restart', '--start-delay', '3s', '--start-timeout', '30s']);
    assert.equal(r.report.resultCode, 100, r.out);
    assert.match(r.out, /clock is 10m behind this controller/);
    assert.ok((await readHostSummary(hostDir('behind'))).installedKbs.includes('KB5044311'));
  });
});
