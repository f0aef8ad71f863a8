import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameBootTime, waitForReboot, waitUntilServiced } from '../../../src/connector/cycle/host-wait.ts';
import type { TargetWatch } from '../../../src/connector/cycle/target-watch.ts';
import { ConnectorFailure } from '../../../src/connector/errors.ts';
import type { ClientStatus, TargetAccess } from '../../../src/connector/ports.ts';
import { FakeClock } from '../fake-clock.ts';

// Boot times reach the connector from different readers (the client's run.start, `wsus-client
// status` after a reboot) that may differ in sub-second precision and in how they write the
// offset. sameBootTime compares them as instants, exactly: no tolerance at all.
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

const BEFORE = '2026-11-24T05:00:00.000000+00:00';
const AFTER = '2026-11-24T06:03:00.000000+00:00';
const TIMEOUT_MS = 10 * 60_000;

/** What the host looks like t ms into the wait: transport up or not, and its status if it answers. */
type HostAt = (t: number) => { transport: boolean; bootTime?: string; servicing?: boolean };

function status(bootTime: string, servicing: boolean): ClientStatus {
  return {
    bootTime,
    rebootPending: false,
    servicingInProgress: servicing,
    activeRun: null,
    now: '2026-11-24T06:00:00Z',
  };
}

/** A target whose probe and status follow `at`, on a virtual clock. */
function watchOf(at: HostAt): { watch: TargetWatch; clock: FakeClock } {
  const clock = new FakeClock();
  const start = clock.now();
  const target = {
    server: 'srv1',
    probe: async () => ({ transport: at(clock.now() - start).transport }),
    connect: async () => {},
    close: async () => {},
    clientStatus: async () => {
      const h = at(clock.now() - start);
      if (!h.transport) throw new Error('connection refused');
      return status(h.bootTime ?? BEFORE, h.servicing ?? false);
    },
  } as unknown as TargetAccess;
  return { watch: { target, clock, clientPath: 'C:\\wsus-client.exe' }, clock };
}

async function rebootFailure(at: HostAt): Promise<ConnectorFailure> {
  const { watch } = watchOf(at);
  const err = await waitForReboot(watch, BEFORE, TIMEOUT_MS, () => {}).then(
    () => assert.fail('the wait should time out'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectorFailure);
  assert.equal(err.kind, 'reboot-timeout');
  return err;
}

describe('waitForReboot', () => {
  it('down, up with a new boot time, then ready: the phases in order and the status that ended it', async () => {
    const phases: string[] = [];
    const { watch } = watchOf((t) =>
      t < 20_000
        ? { transport: true }
        : t < 90_000
          ? { transport: false }
          : { transport: true, bootTime: AFTER },
    );
    const r = await waitForReboot(watch, BEFORE, TIMEOUT_MS, (phase) => phases.push(phase));
    assert.deepEqual(phases, ['down', 'up', 'ready']);
    assert.equal(r.bootTimeAfter, AFTER);
    assert.equal(r.sawDown, true);
    assert.ok(r.elapsedMs >= 90_000 && r.elapsedMs < TIMEOUT_MS, `elapsed ${r.elapsedMs}`);
    assert.equal(r.status.servicingInProgress, false);
  });

  it('a host that never goes down and keeps its boot time: "it never went down"', async () => {
    const err = await rebootFailure(() => ({ transport: true }));
    assert.equal(
      err.message,
      'the server did not finish rebooting within 10m: it never went down (the boot time did not change)',
    );
  });

  it('a host that goes down and stays down: "it went down and did not come back"', async () => {
    const err = await rebootFailure((t) => ({ transport: t < 5_000 }));
    assert.equal(
      err.message,
      'the server did not finish rebooting within 10m: it went down and did not come back',
    );
  });

  it('a host back with a new boot time but still servicing: "still servicing updates"', async () => {
    const err = await rebootFailure((t) =>
      t < 60_000 ? { transport: false } : { transport: true, bootTime: AFTER, servicing: true },
    );
    assert.equal(
      err.message,
      `the server did not finish rebooting within 10m: it came back (boot time ${AFTER}) but was still servicing updates`,
    );
  });

  it('gives up at the timeout, not long after it', async () => {
    const { watch, clock } = watchOf(() => ({ transport: false }));
    const start = clock.now();
    await waitForReboot(watch, BEFORE, TIMEOUT_MS, () => {}).catch(() => {});
    assert.ok(clock.now() - start >= TIMEOUT_MS && clock.now() - start <= TIMEOUT_MS + 1_000);
  });
});

describe('waitUntilServiced', () => {
  it('returns at once, without a wait line, when nothing is servicing', async () => {
    const { watch } = watchOf(() => ({ transport: true }));
    let waits = 0;
    const first = status(AFTER, false);
    assert.equal(await waitUntilServiced(watch, first, TIMEOUT_MS, () => waits++), first);
    assert.equal(waits, 0);
  });

  it('waits (one wait line) until servicing has finished', async () => {
    const { watch } = watchOf((t) => ({ transport: true, bootTime: AFTER, servicing: t < 45_000 }));
    let waits = 0;
    const s = await waitUntilServiced(watch, status(AFTER, true), TIMEOUT_MS, () => waits++);
    assert.equal(s.servicingInProgress, false);
    assert.equal(waits, 1);
  });

  it('servicing that never ends: a reboot-timeout failure, and no install started', async () => {
    const { watch } = watchOf(() => ({ transport: true, bootTime: AFTER, servicing: true }));
    const err = await waitUntilServiced(watch, status(AFTER, true), TIMEOUT_MS, () => {}).then(
      () => assert.fail('the wait should time out'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectorFailure);
    assert.equal(err.kind, 'reboot-timeout');
    assert.equal(err.message, 'servicing (CBS) was still in progress after 10m; no install was started');
  });
});
