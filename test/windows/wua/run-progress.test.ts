// The client's run over the real WUA agent and a bridge that streams progress, as on a server
// installing a cumulative update: the job output shows the percentages between 0 and 100, and
// the heartbeat lines carry the latest one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActivityLog } from '../../../src/client/activity-log.ts';
import { runUpdates } from '../../../src/client/run.ts';
import { createWuaAgent } from '../../../src/windows/wua/agent.ts';
import { FakeSystem } from '../../client/fake-agent.ts';
import { fakeLaunch, LCU, SSU } from './fake-bridge.ts';

test('a long install through the bridge shows its percentages in the job output, then the result', async () => {
  const lcu = LCU.id.toLowerCase();
  const agent = createWuaAgent({
    launch: fakeLaunch({
      updates: [SSU, LCU],
      progressDelayMs: 40,
      progress: {
        [`download:${lcu}`]: [30, 60, 90],
        [`install:${lcu}`]: [5, 5, 5, 5, 25, 25, 25, 25, 55, 55, 80, 100],
      },
      behaviour: { [`install:${lcu}`]: { resultCode: 2, rebootRequired: true } },
    }),
    timeouts: { startup: 10_000, search: 10_000, download: 10_000, install: 10_000, short: 10_000 },
  });
  const log = new ActivityLog({ filePath: null });
  try {
    const summary = await runUpdates({
      job: {
        runId: 'r1',
        cycle: 1,
        mode: 'install',
        selection: { exclude: [], skipOptional: false },
        source: 'default',
        restart: false,
      },
      agent,
      system: new FakeSystem(),
      log,
      signal: new AbortController().signal,
      heartbeatMs: 100,
    });
    assert.equal(summary.updates.find((u) => u.kb === 'KB5044281')?.status, 'installed');
    assert.equal(summary.rebootRequired, true);
  } finally {
    await agent.close();
  }
  const messages = (kind: string) => log.events.filter((e) => e.kind === kind).map((e) => e.message);
  // 5 % is in the same 10 % step as 0 %: the client logs each step once.
  assert.deepEqual(
    messages('install.progress').filter((m) => m.includes('KB5044281')),
    ['0%', '25%', '55%', '80%', '100%'].map((p) => `install KB5044281: ${p}`),
  );
  assert.deepEqual(
    messages('download.progress').filter((m) => m.includes('KB5044281')),
    ['0%', '30%', '60%', '90%', '100%'].map((p) => `download KB5044281: ${p}`),
  );
  // The install call ran for about half a second: its heartbeats show a percentage in between.
  const beats = messages('install.heartbeat');
  assert.ok(
    beats.some((m) => /still installing .*: (?!0%|100%)\d+%/.test(m)),
    `no intermediate percentage in ${JSON.stringify(beats)}`,
  );
  const kinds = log.events.map((e) => e.kind);
  assert.ok(kinds.lastIndexOf('install.progress') < kinds.indexOf('install.result'), kinds.join(' '));
});
