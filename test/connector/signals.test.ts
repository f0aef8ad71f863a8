import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { systemClock } from '../../src/connector/clock.ts';
import { linkedSignal, settleWithin } from '../../src/connector/signals.ts';
import { FakeClock } from './fake-clock.ts';

describe('linked signals', () => {
  it('abort with the parent, with its reason', () => {
    const parent = new AbortController();
    const own = linkedSignal(parent.signal);
    const reason = new Error('SIGTERM');
    parent.abort(reason);
    assert.equal(own.signal.aborted, true);
    assert.equal(own.signal.reason, reason);
  });

  it('start aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort(new Error('early'));
    const own = linkedSignal(parent.signal);
    assert.equal(own.signal.aborted, true);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
  });

  it('abort alone, or let go of the parent, leaving it untouched and without their listener', () => {
    const parent = new AbortController();
    const a = linkedSignal(parent.signal);
    const b = linkedSignal(parent.signal);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 2);
    a.abort();
    b.detach();
    assert.equal(a.signal.aborted, true);
    assert.equal(parent.signal.aborted, false);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    parent.abort();
    assert.equal(b.signal.aborted, false, 'detached: no longer follows');
  });
});

describe('settleWithin', () => {
  it('returns the work and cancels its timer when the work ends first', async () => {
    const clock = new FakeClock();
    const parent = new AbortController();
    assert.equal(await settleWithin(clock, Promise.resolve(7), 3_000, parent.signal), 7);
    assert.equal(clock.now(), new FakeClock().now(), 'no time passed');
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
  });

  it('leaves no timer behind on the real clock (it held the process open after its result)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await settleWithin(systemClock, Promise.resolve(), 60_000);
    assert.equal(timers(), before);
  });

  it('ends after the bound while the work hangs, and passes a failure of the work on', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    assert.equal(await settleWithin(clock, new Promise(() => {}), 3_000), undefined);
    assert.equal(clock.now() - t0, 3_000);
    await assert.rejects(settleWithin(clock, Promise.reject(new Error('boom')), 3_000), /boom/);
  });

  it('ends when the signal fires', async () => {
    const parent = new AbortController();
    const wait = settleWithin(systemClock, new Promise(() => {}), 60_000, parent.signal);
    parent.abort();
    assert.equal(await wait, undefined);
  });
});
