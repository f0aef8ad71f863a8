import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { acquireLock, readLock } from '../../src/connector/lock.ts';
import { LOCK_PATH } from '../../src/connector/paths.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeHost } from './fake-host.ts';

const REQ = { runId: 'r1', holder: 'box:1', fingerprint: 'fp', server: 'srv01', leaseMs: 60_000 };

async function setup() {
  const clock = new FakeClock();
  const host = new FakeHost(clock, { catalog: [] });
  const target = host.session();
  await target.connect();
  return { clock, host, target };
}

describe('lease lock', () => {
  it('a fresh host: writes the record with a lease; release removes it', async () => {
    const { clock, host, target } = await setup();
    const grant = await acquireLock(target, clock, REQ);
    assert.equal(grant.resumes, null);
    const rec = await readLock(target);
    assert.equal(rec?.runId, 'r1');
    assert.equal(Date.parse(rec!.leaseUntil), clock.now() + 60_000);
    await grant.lease.release();
    assert.equal(host.files.has(LOCK_PATH), false);
  });

  it('renewal moves the lease forward; extendFor covers a reboot; setCycle is recorded', async () => {
    const { clock, target } = await setup();
    const { lease } = await acquireLock(target, clock, REQ);
    lease.startRenewing(() => {});
    await clock.sleep(70_000);
    const renewed = await readLock(target);
    assert.ok(Date.parse(renewed!.leaseUntil) > clock.now(), 'still live after the first lease period');
    await lease.extendFor(600_000);
    assert.ok(Date.parse((await readLock(target))!.leaseUntil) >= clock.now() + 600_000);
    await lease.setCycle(3);
    assert.equal((await readLock(target))?.cycle, 3);
    lease.stopRenewing();
  });

  it('a write for a cycle or a reboot counts as a renewal; the lease never falls a third behind', async () => {
    const { clock, host, target } = await setup();
    const { lease } = await acquireLock(target, clock, REQ);
    const writes = () => host.calls.filter((c) => c.op === 'writeFile' && c.args[0] === LOCK_PATH).length;
    lease.startRenewing(() => {});
    await clock.sleep(15_000);
    await lease.setCycle(2);
    const afterCycle = writes();
    // A third of the lease (20 s) after acquiring, but only 5 s after the cycle's write: nothing.
    await clock.sleep(6_000);
    assert.equal(writes(), afterCycle, 'no renewal 21 s after acquiring, 6 s after the last write');
    // A third of the lease after that write: renewed.
    await clock.sleep(15_000);
    assert.equal(writes(), afterCycle + 1);
    // And so on: every third of the lease the record stays at least two thirds ahead.
    for (let i = 0; i < 6; i++) {
      await clock.sleep(10_000);
      const left = Date.parse((await readLock(target))!.leaseUntil) - clock.now();
      assert.ok(left >= 60_000 - 20_000 - 1, `lease ${left} ms ahead at step ${i}`);
    }
    lease.stopRenewing();
  });

  it('refuses a live lease of another run; an unreadable record counts as none', async () => {
    const { clock, host, target } = await setup();
    await acquireLock(target, clock, REQ);
    await assert.rejects(
      acquireLock(target, clock, { ...REQ, runId: 'r2', holder: 'other:2' }),
      (err: unknown) => {
        assert.ok(err instanceof ConnectorFailure);
        assert.equal(err.kind, 'lock-held');
        assert.match(err.message, /run r1 by box:1/);
        return true;
      },
    );
    host.files.set(LOCK_PATH, Buffer.from('{not json'));
    const g = await acquireLock(target, clock, { ...REQ, runId: 'r3' });
    assert.equal(g.lease.runId, 'r3');
  });

  it('an expired lease: same arguments resume the old run id; other arguments replace it when nothing is active', async () => {
    const { clock, target } = await setup();
    const first = await acquireLock(target, clock, REQ);
    await first.lease.setCycle(2);
    await clock.sleep(61_000);
    const again = await acquireLock(target, clock, { ...REQ, runId: 'r9', holder: 'box:2' });
    assert.equal(again.resumes?.runId, 'r1');
    assert.equal(again.lease.runId, 'r1');
    assert.equal(again.lease.current.cycle, 2);
    await clock.sleep(61_000);
    const other = await acquireLock(target, clock, { ...REQ, runId: 'r10', fingerprint: 'fp-other' });
    assert.equal(other.resumes, null);
    assert.equal(other.replacedStale?.runId, 'r1');
    assert.equal(other.lease.runId, 'r10');
  });

  it('a renewal that finds another run in lock.json records the loss instead of overwriting', async () => {
    const { clock, host, target } = await setup();
    const { lease } = await acquireLock(target, clock, REQ);
    const rec = JSON.parse(host.files.get(LOCK_PATH)!.toString());
    host.files.set(LOCK_PATH, Buffer.from(JSON.stringify({ ...rec, runId: 'thief', holder: 'x:9' })));
    await lease.renew();
    assert.equal(lease.lostTo?.runId, 'thief');
    assert.equal((await readLock(target))?.runId, 'thief');
  });
});
