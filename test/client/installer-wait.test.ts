import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventSink } from '../../src/client/activity-log.ts';
import { waitForInstaller } from '../../src/client/installer-wait.ts';
import { FakeAgent } from './fake-agent.ts';

function sinkAndClock() {
  const kinds: string[] = [];
  let t = 0;
  const log = {
    emit: (_level: string, kind: string) => {
      kinds.push(kind);
      return {} as never;
    },
  } as unknown as EventSink;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    t += ms;
  };
  return { kinds, log, sleeps, sleep, now: () => t };
}

describe('waitForInstaller', () => {
  it('a free installer: no wait, nothing said', async () => {
    const c = sinkAndClock();
    assert.equal(await waitForInstaller(new FakeAgent([]), c.log, new AbortController().signal, c), true);
    assert.deepEqual(c.kinds, []);
  });
  it('busy, then free: waits with growing polls and reports both ends', async () => {
    const c = sinkAndClock();
    const agent = new FakeAgent([]);
    agent.busy = [true, true, true, false];
    assert.equal(await waitForInstaller(agent, c.log, new AbortController().signal, c), true);
    assert.deepEqual(c.kinds, ['installer.busy', 'installer.free']);
    assert.deepEqual(c.sleeps, [250, 500, 1000]);
  });
  it('still busy at the bound: says so and lets the install go ahead', async () => {
    const c = sinkAndClock();
    const agent = new FakeAgent([]);
    agent.busy = Array(100).fill(true);
    const ok = await waitForInstaller(agent, c.log, new AbortController().signal, { ...c, maxMs: 5000 });
    assert.equal(ok, false);
    assert.deepEqual(c.kinds, ['installer.busy', 'installer.still-busy']);
    assert.equal(
      c.sleeps.reduce((a, b) => a + b, 0),
      5000,
    );
  });
});
